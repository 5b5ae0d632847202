// Secrets hidden by an encoding: hex ("6768705f..." spells a GitHub token), base64, or URL percent
// encoding. Each run is decoded; when the result is printable text in which the detectors find a
// secret, the whole encoded run is the secret. Digests and random bytes decode to binary and stay.
import type { SecretSpan } from './secretSpan';

const ENCODINGS: readonly { rule: string; run: RegExp; decode: (run: string) => string | undefined }[] = [
  {
    rule: 'hex-encoded-secret',
    run: /(?<![0-9A-Za-z])(?:[0-9a-fA-F]{2}){16,2048}(?![0-9A-Za-z])/g,
    decode: (run) => Buffer.from(run, 'hex').toString('latin1'),
  },
  {
    rule: 'base64-encoded-secret',
    run: /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,4096}={0,2}(?![A-Za-z0-9+/=_-])/g,
    decode: (run) => Buffer.from(run, /[_-]/.test(run) ? 'base64url' : 'base64').toString('latin1'),
  },
  { rule: 'percent-encoded-secret', run: /(?:%[0-9A-Fa-f]{2}){8,}/g, decode: (run) => safeDecodeUri(run) },
];
const MIN_DECODED = 16;
const PRINTABLE_SHARE = 0.95;

/**
 * `findIn` runs the detectors on decoded text (the caller's, so encodings nest only as deep as it
 * allows). All decoded runs go to it at once, a line each: one pass of the detectors, not one per run.
 */
export async function findEncodedSecrets(text: string, findIn: (decoded: string) => Promise<SecretSpan[]>): Promise<SecretSpan[]> {
  const candidates: { span: SecretSpan; from: number; to: number }[] = [];
  const decodedTexts: string[] = [];
  let offset = 0;
  for (const { rule, run, decode } of ENCODINGS) {
    for (const match of text.matchAll(run)) {
      const decoded = decode(match[0]);
      if (!decoded || !isPrintable(decoded)) continue;
      candidates.push({ span: { start: match.index, end: match.index + match[0].length, rule }, from: offset, to: offset + decoded.length });
      decodedTexts.push(decoded);
      offset += decoded.length + 1;
    }
  }
  if (candidates.length === 0) return [];
  const found = await findIn(decodedTexts.join('\n'));
  return candidates.filter((c) => found.some((f) => f.start < c.to && f.end > c.from)).map((c) => c.span);
}

function isPrintable(text: string): boolean {
  if (text.length < MIN_DECODED) return false;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) printable++;
  }
  return printable / text.length >= PRINTABLE_SHARE;
}

function safeDecodeUri(run: string): string | undefined {
  try {
    return decodeURIComponent(run);
  } catch {
    return undefined;
  }
}
