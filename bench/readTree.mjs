// The I/O floor of a benchmark run: a plain recursive walk that reads every regular file of a
// tree into memory and throws it away (no ignore rules, no decoding, no parsing). Same pattern as
// scan.ts (synchronous readdir, 32 concurrent readFile calls), so `engine / readTree` is the
// engine's cost over what reading the bytes costs on this machine, at this moment.
import { promises as fsp, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Paths (relative, '/' separators) of the regular files under `root`, sorted; symlinks are not followed. */
export function listFiles(root) {
  const out = [];
  const walk = (abs, rel) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(abs, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}

/** Reads every file once; returns { ms, files, bytes }. */
export async function readTree(root) {
  const t0 = performance.now();
  const files = listFiles(root);
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const b = await fsp.readFile(join(root, files[next++]));
      bytes += b.length; // not `bytes += await …`: that adds to the value read before the await
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, files.length) }, worker));
  return { ms: performance.now() - t0, files: files.length, bytes };
}
