// Definition extents (tree-sitter's, or the lexical scanner's where no grammar applies) as the
// index cache keeps them: by the file's content hash and language, so a file is parsed once per
// content, whichever plan or process needs it first.
import { ByteReader, ByteWriter, CacheFormatError } from './cacheBlob';
import type { Extent } from './chunks';

const MAX_LINE = 0x7fffffff;

export function encodeExtents(extents: ReadonlyMap<string, readonly Extent[]>): Uint8Array {
  const w = new ByteWriter();
  const keys = [...extents.keys()];
  w.strings(keys);
  const names: string[] = [];
  const counts = new Uint32Array(keys.length);
  const lines: number[] = [];
  keys.forEach((key, i) => {
    const list = extents.get(key)!;
    counts[i] = list.length;
    for (const e of list) {
      names.push(e.name);
      lines.push(e.startLine, e.endLine, e.signatureEnd);
    }
  });
  w.u32Array(counts);
  w.strings(names);
  w.u32Array(Uint32Array.from(lines));
  return w.finish();
}

/** Decodes and checks saved extents; anything inconsistent throws CacheFormatError. */
export function decodeExtents(body: Uint8Array): Map<string, Extent[]> {
  const r = new ByteReader(body);
  const keys = r.strings();
  const counts = r.u32Array();
  const names = r.strings();
  const lines = r.u32Array();
  if (counts.length !== keys.length) throw new CacheFormatError('extent counts do not match their keys');
  let total = 0;
  for (const c of counts) total += c;
  if (names.length !== total || lines.length !== total * 3) throw new CacheFormatError('extent names and lines do not match their counts');
  for (const l of lines) if (l > MAX_LINE) throw new CacheFormatError('extent line out of range');
  if (r.remaining) throw new CacheFormatError('bytes left over after the extents');
  const out = new Map<string, Extent[]>();
  let at = 0;
  keys.forEach((key, i) => {
    const list: Extent[] = [];
    for (let j = 0; j < counts[i]!; j++, at++) {
      list.push({ name: names[at]!, startLine: lines[3 * at]!, endLine: lines[3 * at + 1]!, signatureEnd: lines[3 * at + 2]! });
    }
    out.set(key, list);
  });
  return out;
}
