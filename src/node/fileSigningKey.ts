import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SigningKey } from '../core/ports';
import { readOwnFile } from './ownFile';

const KEY_BYTES = 32;

/**
 * The command line's key for one workspace folder (the editor keeps its own in SecretStorage): a
 * file under the per-user config folder, named by a hash of the folder's real path, readable by
 * this user only, made on first use. A folder that moves gets a new key, so its checkpoints
 * become foreign, as in the editor.
 */
export class FileSigningKey implements SigningKey {
  private key: Promise<Uint8Array> | undefined;

  constructor(readonly file: string) {}

  static forWorkspace(configRoot: string, workspace: string): FileSigningKey {
    const name = createHash('sha256').update(realpathSync(workspace)).digest('hex').slice(0, 32);
    return new FileSigningKey(join(configRoot, 'checkpoint-keys', name));
  }

  get(): Promise<Uint8Array> {
    this.key ??= this.loadOrCreate();
    this.key.catch(() => (this.key = undefined)); // try again next time
    return this.key;
  }

  private async loadOrCreate(): Promise<Uint8Array> {
    const stored = (await readOwnFile(this.file)) ?? (await this.create());
    const key = Buffer.from(new TextDecoder().decode(stored).trim(), 'base64');
    if (key.length !== KEY_BYTES)
      throw new Error(
        `${this.file} does not hold a checkpoint key (${KEY_BYTES} bytes, base64). Delete it to make a new one; checkpoints signed with the old key are then listed as foreign.`,
      );
    return key;
  }

  /** Written whole under a temp name, then linked into place: when two runs race, the second reads the first one's key. */
  private async create(): Promise<Uint8Array> {
    await fsp.mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const text = new TextEncoder().encode(`${randomBytes(KEY_BYTES).toString('base64')}\n`);
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fsp.writeFile(temp, text, { flag: 'wx', mode: 0o600 });
    try {
      await fsp.link(temp, this.file);
      return text;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const theirs = await readOwnFile(this.file);
      if (!theirs) throw new Error(`${this.file} appeared and vanished while Baton made its checkpoint key; try again.`, { cause: err });
      return theirs;
    } finally {
      await fsp.rm(temp, { force: true });
    }
  }
}
