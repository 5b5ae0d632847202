import { constants, promises as fsp, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { exactText } from '../fileText';
import type { IndexingControl } from '../ports';
import { TimeSlicer } from './timeSlicer';
import { isInside, relativePath, WorkspaceRules } from './workspaceRules';

/** A text file that may be offered to a model. */
export interface ScannedFile {
  path: string; // relative to the root, '/' separators
  size: number; // bytes
  text: string;
}

export type SkipReason = 'ignored' | 'excluded' | 'secret' | 'binary' | 'too-large' | 'not-utf8' | 'unreadable' | 'symlink' | 'file-limit';

/** Something left out of the scan, and why: the ledger shows these. */
export interface SkippedEntry {
  path: string; // a file, or a folder (ending in '/') left out as a whole
  reason: SkipReason;
  detail: string;
}

export interface ScanOptions extends IndexingControl {
  maxFileBytes?: number;
  maxFiles?: number;
  /** Extra gitignore-style patterns, relative to the root (e.g. files the person excluded). */
  exclude?: readonly string[];
}

export interface ScanResult {
  root: string;
  files: ScannedFile[];
  skipped: SkippedEntry[];
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_FILES = 50_000;
const SNIFF_BYTES = 8000;

interface Candidate {
  path: string;
  /** Where the text is read: the file itself, or a link's real target. */
  abs: string;
}

/**
 * Lists the text files under `root` that may reach a model, and everything left out with its reason.
 * All of it asynchronous, in slices (timeSlicer.ts): the event loop is never held for long.
 * Links are judged by where they really lead: outside the workspace is never read; a link to a file
 * is read only when its target would be, as a file at that place; a link to a folder is not followed
 * (the folder's files are scanned where they are, or left out there for their own reason).
 */
export async function scanWorkspace(root: string, options: ScanOptions = {}, slicer = new TimeSlicer(options)): Promise<ScanResult> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const skipped: SkippedEntry[] = [];
  const candidates: Candidate[] = [];
  const links: { rel: string; abs: string }[] = [];
  const rootReal = await fsp.realpath(root);
  const rules = new WorkspaceRules(rootReal, options.exclude);

  // Every folder walked is reached through real folders only (links are set aside), so its real
  // path is known without asking the file system: no realpath per folder, however deep.
  let folders = 0;
  const walk = async (dirAbs: string, dirRel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dirAbs, { withFileTypes: true });
    } catch (err) {
      skipped.push({ path: `${dirRel}/`, reason: 'unreadable', detail: errorText(err) });
      return;
    }
    slicer.progress({ stage: 'walk', done: ++folders });
    await slicer.pause();
    rules.enter(dirRel, new Set(entries.map((e) => e.name)));
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      const abs = join(dirAbs, entry.name);
      if (entry.isSymbolicLink()) links.push({ rel, abs });
      else if (entry.isDirectory()) {
        const verdict = rules.folder(rel);
        if (verdict) skipped.push({ path: `${rel}/`, ...verdict });
        else await walk(abs, rel);
      } else if (entry.isFile()) {
        const verdict = rules.file(rel);
        if (verdict) skipped.push({ path: rel, ...verdict });
        else candidates.push({ path: rel, abs });
      }
    }
  };
  await walk(rootReal, '');
  slicer.finished({ stage: 'walk', done: folders });
  for (const link of links) {
    await slicer.pause();
    const judged = await judgeLink(rules, link.rel, link.abs);
    if ('skip' in judged) skipped.push(judged.skip);
    else candidates.push(judged.read);
  }

  for (const extra of candidates.splice(maxFiles)) {
    skipped.push({ path: extra.path, reason: 'file-limit', detail: `more than ${maxFiles} files in the workspace` });
  }
  const files: ScannedFile[] = [];
  let read = 0;
  await forEachLimited(candidates, 32, async ({ path, abs }) => {
    const result = await readTextFile(abs, maxBytes);
    if ('text' in result) files.push({ path, size: result.size, text: result.text });
    else skipped.push({ path, ...result });
    slicer.progress({ stage: 'read', done: ++read, total: candidates.length });
    await slicer.pause();
  });
  slicer.finished({ stage: 'read', done: read, total: candidates.length });
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: rootReal, files, skipped };
}

/** A link is read only as what it leads to, and only when that would be read where it is. */
async function judgeLink(rules: WorkspaceRules, rel: string, abs: string): Promise<{ skip: SkippedEntry } | { read: Candidate }> {
  let real: string;
  try {
    real = await fsp.realpath(abs);
  } catch {
    return { skip: { path: rel, reason: 'symlink', detail: 'broken link' } };
  }
  if (!isInside(rules.rootReal, real)) return { skip: { path: rel, reason: 'symlink', detail: 'link leads outside the workspace' } };
  const targetRel = relativePath(rules.rootReal, real);
  let stat: Stats;
  try {
    stat = await fsp.stat(real);
  } catch (err) {
    return { skip: { path: rel, reason: 'unreadable', detail: errorText(err) } };
  }
  if (stat.isDirectory()) {
    if (targetRel === '' || rel.startsWith(`${targetRel}/`))
      return { skip: { path: `${rel}/`, reason: 'symlink', detail: `link loop back to ${targetRel || '.'}` } };
    const target = rules.path(targetRel, true);
    if (target) return { skip: { path: `${rel}/`, reason: target.reason, detail: `link to ${targetRel}/, ${target.detail}` } };
    return { skip: { path: `${rel}/`, reason: 'symlink', detail: `link to ${targetRel}/, whose files are scanned there` } };
  }
  if (!stat.isFile()) return { skip: { path: rel, reason: 'unreadable', detail: 'link to something that is not a regular file' } };
  const own = rules.file(rel);
  if (own) return { skip: { path: rel, ...own } };
  const target = rules.path(targetRel, false);
  if (target) return { skip: { path: rel, reason: target.reason, detail: `link to ${targetRel}, ${target.detail}` } };
  return { read: { path: rel, abs: real } };
}

type ReadResult = { text: string; size: number } | { reason: SkipReason; detail: string };

async function readTextFile(abs: string, maxBytes: number): Promise<ReadResult> {
  let handle: fsp.FileHandle | undefined;
  try {
    // Never through a link: `abs` is a real path, and a file swapped for a link since the walk is refused (ELOOP).
    // Non-blocking, so a FIFO swapped in cannot hang the scan.
    handle = await fsp.open(abs, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile()) return { reason: 'unreadable', detail: 'not a regular file' };
    if (stat.size > maxBytes)
      return { reason: 'too-large', detail: `${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit (setting baton.context.maxFileBytes)` };
    const bytes = await handle.readFile();
    if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { reason: 'binary', detail: 'holds NUL bytes' };
    // A byte-order mark stays, as U+FEFF: what a plan claims to show is the file's text as it is.
    const text = exactText(bytes);
    return text === undefined ? { reason: 'not-utf8', detail: 'not valid UTF-8 text' } : { text, size: bytes.length };
  } catch (err) {
    return { reason: 'unreadable', detail: errorText(err) };
  } finally {
    await handle?.close();
  }
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function errorText(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`;
}
