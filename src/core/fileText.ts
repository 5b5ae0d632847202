// Baton shows and changes a file only as text it can write back byte for byte. Valid UTF-8 decodes and
// re-encodes to exactly its bytes, a byte-order mark included (kept as U+FEFF at the start of the
// text); anything else (Latin-1, UTF-16, stray bytes) would come back with U+FFFD where its bytes
// were, outside the hunks the person accepted. Such files are neither shown to a model nor edited.

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** The file's text, or undefined when its bytes are not UTF-8 that round-trips exactly. */
export function exactText(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export function textBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Why such a file is left alone, for the maker and the person. */
export function notExactTextReason(path: string): string {
  return `"${path}" is not UTF-8 text (for example Latin-1 or UTF-16), so Baton cannot write it back without changing bytes outside the change`;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
