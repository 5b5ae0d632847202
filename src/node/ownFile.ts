import { constants, promises as fsp } from 'node:fs';

/**
 * A file of Baton's per-user folders, read only when it is a regular file (not a link) that this
 * user owns: another user's file in a shared folder never stands in for one of ours. Undefined
 * when there is no such file.
 */
export async function readOwnFile(path: string): Promise<Uint8Array | undefined> {
  let handle;
  try {
    handle = await fsp.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`${path} is not a regular file`);
    if (process.getuid && stats.uid !== process.getuid()) throw new Error(`${path} belongs to another user`);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}
