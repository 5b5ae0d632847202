// Redaction of secrets in text about to be sent to a model: secretlint's recommended rules, vendor
// formats it lacks, credentials in HTTP shapes (headers, URL parameters, curl -u), values assigned
// to secret-sounding names, random-looking tokens, and any of these hidden by hex, base64 or
// percent encoding. Each secret becomes "[REDACTED:<kind>]"; line breaks inside a secret (a PEM key)
// are kept, so the text keeps its line count and every other line stays exactly as it was.
import { findEncodedSecrets } from './encodedSecrets';
import { findHighEntropyTokens } from './entropy';
import { findHttpCredentials } from './httpCredentials';
import { findKnownSecretFormats } from './knownSecretFormats';
import { findSecretAssignments } from './secretAssignment';
import { findSecretlintSecrets } from './secretlintScan';
import type { SecretSpan } from './secretSpan';

export interface RedactionFinding {
  /** The kind of secret, as in its placeholder: "github-token", "high-entropy-token", ... */
  rule: string;
  /** 1-based line of the text where the secret starts. */
  line: number;
  /** Enough to recognise it, never enough to use it: "ghp_****************". */
  preview: string;
}

export interface RedactionResult {
  text: string;
  findings: RedactionFinding[];
}

export function placeholderFor(rule: string): string {
  return `[REDACTED:${rule}]`;
}

export async function redactSecrets(text: string): Promise<RedactionResult> {
  const spans = mergeSpans(await findSecrets(text, true));
  if (spans.length === 0) return { text, findings: [] };
  let out = '';
  let at = 0;
  const findings: RedactionFinding[] = [];
  const lineStarts = lineStartOffsets(text);
  for (const span of spans) {
    const secret = text.slice(span.start, span.end);
    out += text.slice(at, span.start) + placeholderFor(span.rule) + '\n'.repeat(countNewlines(secret));
    at = span.end;
    findings.push({ rule: span.rule, line: lineOf(lineStarts, span.start), preview: maskedPreview(secret) });
  }
  return { text: out + text.slice(at), findings };
}

async function findSecrets(text: string, decodeRuns: boolean): Promise<SecretSpan[]> {
  const spans = [
    ...(await findSecretlintSecrets(text)),
    ...findKnownSecretFormats(text),
    ...findHttpCredentials(text),
    ...findSecretAssignments(text),
    ...findHighEntropyTokens(text),
  ];
  // One level of decoding: an encoded secret is found; an encoding of an encoding is not looked for.
  if (decodeRuns) spans.push(...(await findEncodedSecrets(text, (decoded) => findSecrets(decoded, false))));
  return spans;
}

/** Overlapping or touching spans become one, named by the kind of the span that starts first. */
function mergeSpans(spans: SecretSpan[]): SecretSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

function maskedPreview(secret: string): string {
  const firstLine = secret.split('\n')[0]!;
  const shown = firstLine.length >= 16 ? 4 : 0;
  return `${firstLine.slice(0, shown)}${'*'.repeat(Math.min(16, Math.max(4, firstLine.length - shown)))}`;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
