import { createHash } from 'node:crypto';
import type { StateStore } from '../ports';
import { CheckpointError } from './checkpointError';

// Content-addressed file images: the name is the sha256 of the bytes, so identical pre-images
// are stored once and any damage to a blob is detectable on read.

const OBJECTS = 'checkpoints/objects/';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function blobPath(sha256: string): string {
  return `${OBJECTS}${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}

export class BlobStore {
  constructor(private readonly state: StateStore) {}

  /** Stores the bytes (once) and returns their hash. A damaged copy already there is replaced. */
  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Hex(bytes);
    const existing = await this.state.read(blobPath(sha256));
    if (existing === undefined || sha256Hex(existing) !== sha256) await this.state.write(blobPath(sha256), bytes);
    return sha256;
  }

  /** The bytes of a blob, verified against their name; refuses clearly when missing or damaged. */
  async get(sha256: string, forPath: string): Promise<Uint8Array> {
    const bytes = await this.state.read(blobPath(sha256));
    if (bytes === undefined) {
      throw new CheckpointError('missing-blob', `The saved copy of "${forPath}" is missing (.baton/${blobPath(sha256)}).`, [forPath]);
    }
    if (sha256Hex(bytes) !== sha256) {
      throw new CheckpointError('corrupt-blob', `The saved copy of "${forPath}" is damaged: .baton/${blobPath(sha256)} no longer matches its hash.`, [forPath]);
    }
    return bytes;
  }

  /** Every stored blob's hash (for garbage collection). */
  async all(): Promise<string[]> {
    const paths = await this.state.list(OBJECTS);
    return paths.map((path) => path.slice(OBJECTS.length).replace('/', '')).filter((hash) => /^[0-9a-f]{64}$/.test(hash));
  }

  async remove(sha256: string): Promise<void> {
    await this.state.delete(blobPath(sha256));
  }
}
