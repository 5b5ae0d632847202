// The envelope of every file in the index cache, and the reader and writer of what is inside.
// A cache file is never trusted: the magic, the byte order, the format, the kind of blob, the
// build of Baton that wrote it, the length and a SHA-256 of the body are all checked before any of
// it is decoded, and the decoders check every count, offset and id against the bytes they have.
import { createHash } from 'node:crypto';
import { BatonError } from '../batonError';

const MAGIC = 'BATONIC\n';
/** Bumped whenever the layout of any blob changes. */
export const CACHE_FORMAT = 1;
const BYTE_ORDER_MARK = 0x01020304;
const MAX_BLOB_BYTES = 1 << 30;

/** Why a cache file was not used; the caller rebuilds what it would have held. */
export class CacheFormatError extends BatonError {
  constructor(message: string) {
    super('input', message);
  }
}

/** The bytes of a blob: a checked header, then `body`. */
export function sealBlob(kind: string, build: string, body: Uint8Array): Uint8Array {
  const head = new ByteWriter();
  head.raw(new TextEncoder().encode(MAGIC));
  // Typed arrays are written in this machine's byte order: the mark tells a reader on another.
  head.raw(new Uint8Array(Uint32Array.of(BYTE_ORDER_MARK).buffer));
  head.u32(CACHE_FORMAT);
  head.string(kind);
  head.string(build);
  head.u32(body.length);
  head.raw(createHash('sha256').update(body).digest());
  head.align(8);
  const header = head.finish();
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** The body of a blob written by this build for this kind, or a CacheFormatError saying why not. */
export function openBlob(bytes: Uint8Array, kind: string, build: string): Uint8Array {
  if (bytes.length > MAX_BLOB_BYTES) throw new CacheFormatError('larger than any cache file Baton writes');
  const r = new ByteReader(bytes);
  if (new TextDecoder().decode(r.raw(MAGIC.length)) !== MAGIC) throw new CacheFormatError('not a Baton cache file');
  if (new Uint32Array(r.raw(4).slice().buffer)[0] !== BYTE_ORDER_MARK) throw new CacheFormatError('written on a machine with another byte order');
  const format = r.u32();
  if (format !== CACHE_FORMAT) throw new CacheFormatError(`format ${format}, not ${CACHE_FORMAT}`);
  const foundKind = r.string();
  if (foundKind !== kind) throw new CacheFormatError(`holds ${foundKind}, not ${kind}`);
  if (r.string() !== build) throw new CacheFormatError('written by another build of Baton');
  const length = r.u32();
  const digest = r.raw(32);
  r.align(8);
  if (r.remaining !== length) throw new CacheFormatError(`body of ${r.remaining} bytes, header says ${length} (truncated?)`);
  const body = r.raw(length);
  if (!equalBytes(createHash('sha256').update(body).digest(), digest)) throw new CacheFormatError('checksum mismatch (damaged or edited)');
  return body;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Appends numbers, strings and typed arrays; arrays are aligned so a reader can view them in place. */
export class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  u8(n: number): void {
    this.reserve(1);
    this.view.setUint8(this.length++, n);
  }

  u32(n: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, n, true);
    this.length += 4;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  string(s: string): void {
    const bytes = new TextEncoder().encode(s);
    this.u32(bytes.length);
    this.raw(bytes);
  }

  /** Many strings at once (none may hold a NUL): one decode on the way back, not one per string. */
  strings(list: readonly string[]): void {
    if (list.some((s) => s.includes('\0'))) throw new Error('a string to cache holds a NUL character');
    this.u32(list.length);
    this.string(list.join('\0'));
  }

  u32Array(values: Uint32Array): void {
    this.u32(values.length);
    this.align(4);
    this.raw(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  f64Array(values: Float64Array): void {
    this.u32(values.length);
    this.align(8);
    this.raw(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  align(to: number): void {
    while (this.length % to) this.u8(0);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Reads what ByteWriter wrote; any read past the end, or a count too large for the bytes left, throws. */
export class ByteReader {
  private at = 0;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    // A plain view even of a Buffer, whose slice() would share memory instead of copying.
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.at++);
  }

  u32(): number {
    this.need(4);
    const n = this.view.getUint32(this.at, true);
    this.at += 4;
    return n;
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  string(): string {
    const n = this.u32();
    return new TextDecoder('utf-8', { fatal: true }).decode(this.raw(n));
  }

  strings(): string[] {
    const count = this.u32();
    const joined = this.string();
    const list = count === 0 ? [] : joined.split('\0');
    if (list.length !== count) throw new CacheFormatError(`expected ${count} strings, found ${list.length}`);
    return list;
  }

  u32Array(): Uint32Array {
    const n = this.u32();
    this.align(4);
    const bytes = this.raw(n * 4);
    return bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(bytes.slice().buffer);
  }

  f64Array(): Float64Array {
    const n = this.u32();
    this.align(8);
    const bytes = this.raw(n * 8);
    return bytes.byteOffset % 8 === 0 ? new Float64Array(bytes.buffer, bytes.byteOffset, n) : new Float64Array(bytes.slice().buffer);
  }

  align(to: number): void {
    while (this.at % to) this.u8();
  }

  private need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) throw new CacheFormatError('truncated');
  }
}
