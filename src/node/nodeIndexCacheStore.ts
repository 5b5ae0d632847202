import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { IndexCacheStore } from '../core/ports';
import { readOwnFile } from './ownFile';

const NAME = /^[a-z]+$/;
const TEMP_SUFFIX = '.tmp';
// A temp file this old was left by a process that died mid-write.
const STALE_TEMP_MS = 60 * 60 * 1000;
// Workspaces whose caches are kept; the least recently used beyond these are removed.
export const MAX_CACHED_WORKSPACES = 64;

/** The per-user folder for Baton's caches: $XDG_CACHE_HOME/baton, else the platform's usual cache folder. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'baton');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'baton');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'baton', 'Cache');
  return join(home, '.cache', 'baton');
}

/**
 * One workspace's index cache in a folder of this computer, readable and writable by this user
 * only. Writes go to a temp file that is renamed into place, so a reader (another `baton` run at
 * the same moment) sees a whole old file or a whole new one. Links and files owned by others are
 * not read.
 */
export class NodeIndexCacheStore implements IndexCacheStore {
  private touched = false;

  constructor(readonly folder: string) {}

  /** The cache of `workspace` under `cacheRoot`: a folder named by a hash of the workspace's real path. */
  static forWorkspace(cacheRoot: string, workspace: string): NodeIndexCacheStore {
    const key = createHash('sha256').update(realpathSync(workspace)).digest('hex').slice(0, 32);
    return new NodeIndexCacheStore(join(cacheRoot, 'index', key));
  }

  async read(name: string): Promise<Uint8Array | undefined> {
    const bytes = await readOwnFile(this.file(name));
    if (bytes !== undefined && !this.touched) {
      // The folder's time says when the workspace was last used (pruneWorkspaces).
      this.touched = true;
      await fsp.utimes(this.folder, new Date(), new Date()).catch(() => undefined);
    }
    return bytes;
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    await fsp.mkdir(this.folder, { recursive: true, mode: 0o700 });
    await this.removeStaleTemps();
    const temp = join(this.folder, `${name}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    try {
      await fsp.writeFile(temp, bytes, { flag: 'wx', mode: 0o600 });
      await fsp.rename(temp, this.file(name));
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw err;
    }
    if (name === 'index') await this.pruneWorkspaces();
  }

  /** Keeps the caches of the MAX_CACHED_WORKSPACES most recently used workspaces beside this one. */
  private async pruneWorkspaces(): Promise<void> {
    const parent = dirname(this.folder);
    const folders = await Promise.all(
      (await fsp.readdir(parent)).map(async (name) => ({ path: join(parent, name), stats: await fsp.lstat(join(parent, name)).catch(() => undefined) })),
    );
    const used = folders.filter((f) => f.stats?.isDirectory()).sort((a, b) => b.stats!.mtimeMs - a.stats!.mtimeMs);
    for (const f of used.slice(MAX_CACHED_WORKSPACES)) if (f.path !== this.folder) await fsp.rm(f.path, { recursive: true, force: true });
  }

  private file(name: string): string {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a cache file name`);
    return join(this.folder, name);
  }

  private async removeStaleTemps(): Promise<void> {
    for (const entry of await fsp.readdir(this.folder)) {
      if (!entry.endsWith(TEMP_SUFFIX)) continue;
      const path = join(this.folder, entry);
      const stats = await fsp.lstat(path).catch(() => undefined);
      if (stats && Date.now() - stats.mtimeMs > STALE_TEMP_MS) await fsp.rm(path, { force: true });
    }
  }
}
