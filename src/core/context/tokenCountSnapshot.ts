// Token counts as the index cache keeps them: per encoding, a text's count under its content key
// (tokenCounter.ts). The oldest are dropped beyond a cap, so the file stays a few megabytes.
import { COUNT_KEY_BYTES } from '../tokens/tokenCounter';
import { ByteReader, ByteWriter, CacheFormatError } from './cacheBlob';

export type TokenCountsByEncoding = Map<string, Map<string, number>>;

/** Counts kept per encoding; each plan adds a few thousand at most. */
export const MAX_SAVED_COUNTS = 200_000;

export function encodeTokenCounts(byEncoding: TokenCountsByEncoding): Uint8Array {
  const w = new ByteWriter();
  w.u32(byEncoding.size);
  for (const [encoding, counts] of byEncoding) {
    // A map keeps insertion order and a counter moves each count it uses to the end: the least
    // recently used come first and go first.
    const kept = [...counts].slice(-MAX_SAVED_COUNTS);
    w.string(encoding);
    const keys = new Uint8Array(kept.length * COUNT_KEY_BYTES);
    kept.forEach(([key], i) => keys.set(Buffer.from(key, 'latin1'), i * COUNT_KEY_BYTES));
    w.u32Array(Uint32Array.from(kept, ([, n]) => n));
    w.raw(keys);
  }
  return w.finish();
}

/** Decodes saved counts; anything inconsistent throws CacheFormatError. */
export function decodeTokenCounts(body: Uint8Array): TokenCountsByEncoding {
  const r = new ByteReader(body);
  const out: TokenCountsByEncoding = new Map();
  for (let e = r.u32(); e > 0; e--) {
    const encoding = r.string();
    const counts = r.u32Array();
    const raw = r.raw(counts.length * COUNT_KEY_BYTES);
    const keys = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
    const map = new Map<string, number>();
    for (let i = 0; i < counts.length; i++) map.set(keys.toString('latin1', i * COUNT_KEY_BYTES, (i + 1) * COUNT_KEY_BYTES), counts[i]!);
    out.set(encoding, map);
  }
  if (r.remaining) throw new CacheFormatError('bytes left over after the token counts');
  return out;
}
