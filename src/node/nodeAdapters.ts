import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { workspacePathProblem } from '../core/checkpoints/workspacePath';
import type { Clock, StateStore, WorkspaceFiles } from '../core/ports';

// Node implementations of the ports, for the CLI and the unit tests. Both refuse any path that
// would leave their root (through '..', an absolute path or a symlink), because a checkpoint
// restore must never write outside the person's folder.

const TEMP_SUFFIX = '.baton-tmp';

export const systemClock: Clock = { now: () => Date.now() };

export class NodeWorkspaceFiles implements WorkspaceFiles {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return readIfPresent(await this.resolveInside(path), path);
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    await writeAtomically(await this.resolveInside(path), bytes);
  }

  async delete(path: string): Promise<void> {
    await fsp.rm(await this.resolveInside(path), { force: true });
  }

  hasUnsavedChanges(_path: string): boolean {
    return false; // no editor outside VS Code
  }

  private resolveInside(path: string): Promise<string> {
    return resolveInside(this.root, path, 'the workspace');
  }
}

/** Baton's own state, `<workspace>/.baton/`: every write is write-temp, fsync, rename. */
export class NodeStateStore implements StateStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return readIfPresent(await resolveInside(this.root, path, 'Baton\'s state folder'), path);
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    await writeAtomically(await resolveInside(this.root, path, 'Baton\'s state folder'), bytes);
  }

  async delete(path: string): Promise<void> {
    await fsp.rm(await resolveInside(this.root, path, 'Baton\'s state folder'), { force: true });
  }

  /** Every file whose '/'-separated path starts with the prefix; half-written temp files never show. */
  async list(prefix: string): Promise<string[]> {
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = join(this.root, ...folder.split('/').filter(Boolean));
    const found: string[] = [];
    await walk(start, async (file) => {
      const path = relative(this.root, file).split(sep).join('/');
      if (path.startsWith(prefix) && !path.endsWith(TEMP_SUFFIX)) found.push(path);
    });
    return found.sort();
  }
}

async function resolveInside(root: string, path: string, what: string): Promise<string> {
  const problem = workspacePathProblem(path);
  if (problem) throw new Error(`Refusing path "${path}" in ${what}: ${problem}.`);
  const full = join(root, ...path.split('/'));
  // A symlink on the way could point anywhere: check where the nearest existing part really is.
  const realRoot = await fsp.realpath(root).catch(() => root);
  let existing = full;
  for (;;) {
    try {
      const real = await fsp.realpath(existing);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        throw new Error(`Refusing path "${path}" in ${what}: it leads outside ${root} through a symbolic link.`);
      }
      return existing === full ? real : full;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = dirname(existing);
      if (parent === existing || existing === root) return full;
      existing = parent;
    }
  }
}

async function readIfPresent(file: string, path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await fsp.readFile(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new Error(`"${path}" is a folder, not a file.`, { cause: err });
    throw err;
  }
}

/** A reader sees the old bytes or the new ones, never half; a crash leaves at most a temp file. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const folder = dirname(file);
  await fsp.mkdir(folder, { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
  const previousMode = await fsp.stat(file).then((stats) => stats.mode & 0o7777, () => undefined);
  const handle = await fsp.open(temp, 'wx', previousMode ?? 0o666);
  try {
    await handle.writeFile(bytes);
    if (previousMode !== undefined) await handle.chmod(previousMode); // keep e.g. a script's x bit
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fsp.rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fsp.rename(temp, file);
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw err;
  }
  await syncFolder(folder);
}

/** Makes the rename itself durable; some platforms cannot open folders, which is fine. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await fsp.open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

async function walk(folder: string, visit: (file: string) => Promise<void>): Promise<void> {
  let entries;
  try {
    entries = await fsp.readdir(folder, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw err;
  }
  for (const entry of entries) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) await walk(full, visit);
    else if (entry.isFile()) await visit(full);
  }
}
