import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lock as lockFile } from 'proper-lockfile';
import { PathPolicy, PathRefusedError, type LinkApproval, type PathAction } from '../core/security/pathPolicy';
import type { Clock, ReleaseLock, ResolvedPath, StateStore, WorkspaceFiles } from '../core/ports';
import { StateLockedError } from '../core/workspace/stateConflicts';
import { workspacePathProblem } from '../core/security/workspacePath';
import { NodePathInspector } from './nodePathInspector';

// Node implementations of the ports, for the CLI and the unit tests. Every path goes through the
// path policy first (security/pathPolicy.ts), the same one the editor uses: nothing outside the
// folder, no write through a link the person did not approve, and no link at all in Baton's state.

const TEMP_SUFFIX = '.baton-tmp';
/** A holder refreshes its lock every half of this; a lock not refreshed for this long is taken over. */
const LOCK_STALE_MS = 10_000;
const LOCK_RETRY_MS = 25;

export const systemClock: Clock = { now: () => Date.now() };

export class NodeWorkspaceFiles implements WorkspaceFiles {
  private readonly root: string;
  private readonly policy: PathPolicy;

  /** Without an approval, a write or delete through any link is refused (the command line has no one to ask). */
  constructor(root: string, approval?: LinkApproval) {
    this.root = resolve(root);
    this.policy = new PathPolicy(new NodePathInspector(this.root), { approval });
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return readIfPresent(await this.locate(path, 'read'), path);
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    await writeAtomically(await this.locate(path, 'write'), bytes);
  }

  async delete(path: string): Promise<void> {
    await fsp.rm(await this.locate(path, 'delete'), { force: true });
  }

  hasUnsavedChanges(_path: string): boolean {
    return false; // no editor outside VS Code
  }

  prepare(paths: readonly string[], action: 'write' | 'delete'): Promise<ResolvedPath[]> {
    return this.policy.authorise(paths, action);
  }

  /** The file's real location on disk, once the policy allows the action. */
  private async locate(path: string, action: PathAction): Promise<string> {
    const [resolved] = await this.policy.authorise([path], action);
    return join(this.root, ...resolved!.realPath.split('/'));
  }
}

const STATE_ADVICE =
  'Baton keeps its state (.baton/) only in real folders and files inside the workspace, never behind a link: if .baton is a link, or holds one, replace it with a folder and try again.';

/** Baton's own state, `<workspace>/.baton/`: every write is write-temp, fsync, rename. */
export class NodeStateStore implements StateStore {
  private readonly parent: string;
  private readonly name: string;
  private readonly policy: PathPolicy;

  /** `folder` is the state folder itself (`<workspace>/.baton`); it may not be, or hold, a link. */
  constructor(folder: string) {
    const full = resolve(folder);
    this.parent = dirname(full);
    this.name = basename(full);
    this.policy = new PathPolicy(new NodePathInspector(this.parent), { noLinks: "no link may be on the way to Baton's state" });
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return readIfPresent(await this.locate(path, 'read'), path);
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    await writeAtomically(await this.locate(path, 'write'), bytes);
  }

  async delete(path: string): Promise<void> {
    await fsp.rm(await this.locate(path, 'delete'), { force: true });
  }

  /** Every file whose '/'-separated path starts with the prefix; half-written temp files never show. */
  async list(prefix: string): Promise<string[]> {
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = await this.locate(folder, 'read');
    const found: string[] = [];
    const top = join(this.parent, this.name);
    await walk(start, async (file) => {
      const path = relative(top, file).split(sep).join('/');
      if (path.startsWith(prefix) && !path.endsWith(TEMP_SUFFIX)) found.push(path);
    });
    return found.sort();
  }

  /**
   * `.baton/<name>.lock`, a folder made with one mkdir (atomic on every file system, NFS included)
   * and refreshed while held (proper-lockfile). Others wait in short steps up to `waitMs`.
   */
  async lock(name: string, options: { waitMs?: number } = {}): Promise<ReleaseLock> {
    if (name.includes('/') || workspacePathProblem(name)) throw new Error(`"${name}" is not a lock name.`);
    // In the state folder itself, once the policy found no link on the way (the lock is a folder, which only a read may name).
    const lockPath = await this.locate(`${name}.lock`, 'read');
    await fsp.mkdir(dirname(lockPath), { recursive: true });
    const waitMs = options.waitMs ?? 0;
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        const release = await lockFile(lockPath, {
          lockfilePath: lockPath,
          realpath: false,
          stale: LOCK_STALE_MS,
          retries: 0,
          // Lost only when this process stalled past the stale time and another took it over; the
          // write under way finishes (atomically), and the default handler would crash the host.
          onCompromised: () => undefined,
        });
        return () => release().catch(() => undefined); // a compromised lock is no longer ours to remove
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
        if (Date.now() >= deadline) throw new StateLockedError(name, waitMs);
        await sleep(LOCK_RETRY_MS);
      }
    }
  }

  private async locate(path: string, action: PathAction): Promise<string> {
    const problem = path === '' ? undefined : workspacePathProblem(path);
    if (problem) throw new PathRefusedError(action, [{ path, reason: problem }]);
    const asked = path === '' ? this.name : `${this.name}/${path}`;
    try {
      const [resolved] = await this.policy.authorise([asked], action);
      return join(this.parent, ...resolved!.realPath.split('/'));
    } catch (err) {
      if (err instanceof PathRefusedError) throw new PathRefusedError(action, err.refusals, STATE_ADVICE);
      throw err;
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
  const previousMode = await fsp.stat(file).then(
    (stats) => stats.mode & 0o7777,
    () => undefined,
  );
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
