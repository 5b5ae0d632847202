import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { workspacePathProblem } from '../../src/core/security/workspacePath';
import type { Clock, ReleaseLock, ResolvedPath, SigningKey, StateStore, WorkspaceFiles } from '../../src/core/ports';

// Test doubles and helpers for the checkpoint tests: in-memory ports (fast enough for hundreds
// of property runs), an editor stand-in with unsaved files, and folder snapshots.

/** The key the tests' own checkpoints are signed with (the same in every process, for the crash test). */
export const testSigningKey: SigningKey = { get: async () => new TextEncoder().encode('baton test signing key, not a secret') };

export class MemoryWorkspaceFiles implements WorkspaceFiles {
  readonly files = new Map<string, Uint8Array>();
  readonly unsaved = new Set<string>();
  writes = 0;

  async read(path: string): Promise<Uint8Array | undefined> {
    checkPath(path);
    const bytes = this.files.get(path);
    return bytes && bytes.slice();
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    checkPath(path);
    this.writes += 1;
    this.files.set(path, bytes.slice());
  }

  async delete(path: string): Promise<void> {
    checkPath(path);
    this.writes += 1;
    this.files.delete(path);
  }

  hasUnsavedChanges(path: string): boolean {
    return this.unsaved.has(path);
  }

  /** Memory has no links: every path leads to itself. */
  async prepare(paths: readonly string[]): Promise<ResolvedPath[]> {
    paths.forEach(checkPath);
    return paths.map((path) => ({ path, realPath: path, links: [] }));
  }

  snapshot(): Map<string, Uint8Array> {
    return new Map([...this.files].map(([path, bytes]) => [path, bytes.slice()]));
  }
}

export class MemoryStateStore implements StateStore {
  readonly entries = new Map<string, Uint8Array>();
  private readonly held = new Map<string, Promise<void>>();

  /** One holder per name; the others wait their turn (nothing outside this process shares memory). */
  async lock(name: string): Promise<ReleaseLock> {
    for (let holder = this.held.get(name); holder; holder = this.held.get(name)) await holder;
    let release!: () => void;
    this.held.set(name, new Promise((resolve) => (release = resolve)));
    return async () => {
      this.held.delete(name);
      release();
    };
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const bytes = this.entries.get(path);
    return bytes && bytes.slice();
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    this.entries.set(path, bytes.slice());
  }

  async delete(path: string): Promise<void> {
    this.entries.delete(path);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((path) => path.startsWith(prefix)).sort();
  }
}

/** Like an editor where some files have unsaved edits; everything else goes to the real files. */
export function withUnsavedEdits(files: WorkspaceFiles, unsaved: readonly string[]): WorkspaceFiles {
  return {
    read: (path) => files.read(path),
    write: (path, bytes) => files.write(path, bytes),
    delete: (path) => files.delete(path),
    hasUnsavedChanges: (path) => unsaved.includes(path) || files.hasUnsavedChanges(path),
    prepare: (paths, action) => files.prepare(paths, action),
  };
}

/** Ticks a second per reading, so history times are distinct and predictable. */
export function steppingClock(start = Date.UTC(2025, 0, 1)): Clock {
  let now = start;
  return { now: () => (now += 1000) };
}

export async function makeTempDir(label: string): Promise<string> {
  return fsp.mkdtemp(join(tmpdir(), `baton-${label}-`));
}

/** Every file under root (relative '/' paths), optionally skipping top-level folders such as `.baton`. */
export async function snapshotFolder(root: string, skipTop: readonly string[] = []): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  async function walk(folder: string): Promise<void> {
    for (const entry of await fsp.readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      const path = relative(root, full).split(sep).join('/');
      if (skipTop.includes(path.split('/')[0] ?? '')) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) found.set(path, new Uint8Array(await fsp.readFile(full)));
    }
  }
  await walk(root);
  return found;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Readable failure messages: which paths differ and how, instead of two giant maps. */
export function describeDifferences(actual: ReadonlyMap<string, Uint8Array>, expected: ReadonlyMap<string, Uint8Array>): string[] {
  const differences: string[] = [];
  for (const [path, bytes] of expected) {
    const got = actual.get(path);
    if (got === undefined) differences.push(`${path}: missing`);
    else if (!sameBytes(got, bytes)) differences.push(`${path}: ${got.length} bytes differ from expected ${bytes.length}`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) differences.push(`${path}: unexpected`);
  return differences;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function checkPath(path: string): void {
  const problem = workspacePathProblem(path);
  if (problem) throw new Error(`Refusing path "${path}": ${problem}.`);
}
