import { promises as fsp } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { DiskEntry, PathInspector } from '../core/ports';

/**
 * The path policy's view of a folder on this computer's disk (lstat, realpath), for the CLI's
 * adapters and the editor's file:// folders alike, so both answer the same.
 */
export class NodePathInspector implements PathInspector {
  private folding: Promise<boolean> | undefined;

  constructor(private readonly root: string) {}

  caseInsensitive(): Promise<boolean> {
    this.folding ??= foldsCase(this.root);
    return this.folding;
  }

  async realRoot(): Promise<string> {
    return slashes(await fsp.realpath(this.root).catch(() => this.root));
  }

  async entry(path: string): Promise<DiskEntry> {
    try {
      const stats = await fsp.lstat(this.full(path));
      if (stats.isSymbolicLink()) return { kind: 'link' };
      if (stats.isDirectory()) return { kind: 'folder' };
      if (stats.isFile()) return { kind: 'file', names: stats.nlink };
      return { kind: 'other' };
    } catch (err) {
      if (isMissing(err)) return { kind: 'absent' };
      throw err;
    }
  }

  async realPath(path: string): Promise<string | undefined> {
    try {
      return slashes(await fsp.realpath(this.full(path)));
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'ELOOP') return undefined;
      throw err;
    }
  }

  private full(path: string): string {
    return path === '' ? this.root : join(this.root, ...path.split('/'));
  }
}

function slashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Whether names in this folder ignore case: an entry (or the folder's own name) looked up with its
 * letters' case swapped is the same file. Without any letter to try, the platform's default.
 */
async function foldsCase(root: string): Promise<boolean> {
  const real = await fsp.realpath(root).catch(() => root);
  const names = await fsp.readdir(real).catch(() => [] as string[]);
  const candidates: [string, string][] = [...names.map((name) => [real, name] as [string, string]), [dirname(real), basename(real)]];
  for (const [folder, name] of candidates) {
    const swapped = swapCase(name);
    if (swapped === name) continue;
    const [original, variant] = await Promise.all([
      fsp.lstat(join(folder, name)).catch(() => undefined),
      fsp.lstat(join(folder, swapped)).catch(() => undefined),
    ]);
    if (!original) continue;
    return variant !== undefined && variant.ino === original.ino && variant.dev === original.dev;
  }
  return process.platform === 'darwin' || process.platform === 'win32';
}

function swapCase(name: string): string {
  return [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}
