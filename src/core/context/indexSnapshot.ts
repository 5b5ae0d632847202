// What the index cache keeps of a RepoIndex, and its bytes. Per file: its path and content hash,
// its BM25 term counts and the names it defines; for the whole index, the reference graph. A file's
// entry is reused only while its content hash is the same (repoIndex.ts), the graph only while
// every file is.
import type { TermCounts } from './bm25';
import { ByteReader, ByteWriter, CacheFormatError } from './cacheBlob';
import type { SparseGraph } from './pagerank';

export interface SnapshotFile {
  /** SHA-256 of the file's text, hex. */
  hash: string;
  terms: TermCounts;
  /** Defined names and their 1-based lines, in the order the lexical scanner found them. */
  definitions: { name: string; line: number }[];
}

export interface IndexSnapshot {
  /** The term table that every file's term ids refer to. */
  terms: readonly string[];
  /** Files in index order. */
  files: { path: string; file: SnapshotFile }[];
  /** Holds for exactly these files, in this order. */
  graph: SparseGraph | undefined;
}

const HASH_BYTES = 32;

export function encodeSnapshot(snapshot: IndexSnapshot): Uint8Array {
  // Only the terms some file still holds are written, renumbered in order of first use.
  const renumber = new Int32Array(snapshot.terms.length).fill(-1);
  const terms: string[] = [];
  let entries = 0;
  for (const { file } of snapshot.files) {
    for (const id of file.terms.terms) {
      if (renumber[id] === -1) {
        renumber[id] = terms.length;
        terms.push(snapshot.terms[id]!);
      }
    }
    entries += file.terms.terms.length;
  }
  const names = new Map<string, number>();
  let definitionCount = 0;
  for (const { file } of snapshot.files) {
    for (const d of file.definitions) if (!names.has(d.name)) names.set(d.name, names.size);
    definitionCount += file.definitions.length;
  }
  const n = snapshot.files.length;
  const termOffsets = new Uint32Array(n + 1);
  const termIds = new Uint32Array(entries);
  const termCounts = new Uint32Array(entries);
  const definitionOffsets = new Uint32Array(n + 1);
  const definitionNames = new Uint32Array(definitionCount);
  const definitionLines = new Uint32Array(definitionCount);
  const hashes = new Uint8Array(n * HASH_BYTES);
  let t = 0;
  let d = 0;
  snapshot.files.forEach(({ file }, i) => {
    hashes.set(hexBytes(file.hash), i * HASH_BYTES);
    for (let j = 0; j < file.terms.terms.length; j++, t++) {
      termIds[t] = renumber[file.terms.terms[j]!]!;
      termCounts[t] = file.terms.counts[j]!;
    }
    termOffsets[i + 1] = t;
    for (const def of file.definitions) {
      definitionNames[d] = names.get(def.name)!;
      definitionLines[d++] = def.line;
    }
    definitionOffsets[i + 1] = d;
  });

  const w = new ByteWriter();
  w.strings(terms);
  w.strings([...names.keys()]);
  w.strings(snapshot.files.map((f) => f.path));
  w.raw(hashes);
  for (const a of [termOffsets, termIds, termCounts, definitionOffsets, definitionNames, definitionLines]) w.u32Array(a);
  const g = snapshot.graph;
  w.u8(g ? 1 : 0);
  if (g) {
    w.u32Array(g.offsets);
    w.u32Array(g.targets);
    w.f64Array(g.weights);
    w.f64Array(g.outWeight);
  }
  return w.finish();
}

/** Decodes and checks a snapshot; anything inconsistent throws CacheFormatError. Term counts are views of `body`. */
export function decodeSnapshot(body: Uint8Array): IndexSnapshot {
  const r = new ByteReader(body);
  const terms = r.strings();
  const names = r.strings();
  const paths = r.strings();
  const n = paths.length;
  const hashes = r.raw(n * HASH_BYTES);
  const termOffsets = r.u32Array();
  const termIds = r.u32Array();
  const termCounts = r.u32Array();
  const definitionOffsets = r.u32Array();
  const definitionNames = r.u32Array();
  const definitionLines = r.u32Array();
  checkOffsets(termOffsets, n, termIds.length, 'term');
  if (termCounts.length !== termIds.length) throw new CacheFormatError('term ids and counts differ in length');
  checkBelow(termIds, terms.length, 'term id');
  checkBelow(termCounts, 0xffffffff, 'term count', 1);
  checkOffsets(definitionOffsets, n, definitionNames.length, 'definition');
  if (definitionLines.length !== definitionNames.length) throw new CacheFormatError('definition names and lines differ in length');
  checkBelow(definitionNames, names.length, 'name id');
  checkBelow(definitionLines, 0xffffffff, 'definition line', 1);

  const files = paths.map((path, i) => {
    const from = termOffsets[i]!;
    const to = termOffsets[i + 1]!;
    const definitions: SnapshotFile['definitions'] = [];
    for (let d = definitionOffsets[i]!; d < definitionOffsets[i + 1]!; d++) definitions.push({ name: names[definitionNames[d]!]!, line: definitionLines[d]! });
    const hash = Buffer.from(hashes.buffer, hashes.byteOffset + i * HASH_BYTES, HASH_BYTES).toString('hex');
    return { path, file: { hash, terms: { terms: termIds.subarray(from, to), counts: termCounts.subarray(from, to) }, definitions } };
  });
  const graph = r.u8() ? decodeGraph(r, n) : undefined;
  if (r.remaining) throw new CacheFormatError('bytes left over after the index');
  return { terms, files, graph };
}

function decodeGraph(r: ByteReader, nodeCount: number): SparseGraph {
  const offsets = r.u32Array();
  const targets = r.u32Array();
  const weights = r.f64Array();
  const outWeight = r.f64Array();
  checkOffsets(offsets, nodeCount, targets.length, 'edge');
  checkBelow(targets, nodeCount, 'edge target');
  if (weights.length !== targets.length || outWeight.length !== nodeCount) throw new CacheFormatError('graph arrays differ in length');
  for (const x of weights) if (!(x >= 0 && x < Infinity)) throw new CacheFormatError('graph weight out of range');
  for (const x of outWeight) if (!(x >= 0 && x < Infinity)) throw new CacheFormatError('graph weight out of range');
  return { nodeCount, offsets, targets, weights, outWeight };
}

function checkOffsets(offsets: Uint32Array, n: number, total: number, what: string): void {
  if (offsets.length !== n + 1 || offsets[0] !== 0 || offsets[n] !== total) throw new CacheFormatError(`${what} offsets do not fit`);
  for (let i = 0; i < n; i++) if (offsets[i]! > offsets[i + 1]!) throw new CacheFormatError(`${what} offsets go backwards`);
}

function checkBelow(values: Uint32Array, limit: number, what: string, min = 0): void {
  for (const v of values) if (v >= limit || v < min) throw new CacheFormatError(`${what} out of range`);
}

function hexBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`not a SHA-256 in hex: ${hex}`);
  return Buffer.from(hex, 'hex');
}
