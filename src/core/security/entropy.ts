// The backstop detector: random-looking tokens that no known format names (a vendor's key we have
// no rule for, a password generator's output in a config file).
//
// What counts as random, and why:
//   - 20 or more characters of base64/base62 (letters, digits, + / _ - and = padding);
//   - upper case, lower case and digits all present, and the character class changing often
//     (random text changes class on ~60% of characters, camelCase identifiers on ~20%), and
//     lower-case runs short (identifiers are made of words);
//   - Shannon entropy near what a random string of that length would have.
// Deliberately left alone: bare hex (git SHAs, sha256 digests, colours) and UUIDs, which code is
// full of and which are rarely secrets on their own; a hex or UUID value assigned to a name like
// API_KEY or token is caught by secretAssignment.ts instead.
import type { SecretSpan } from './secretSpan';

// '=' only as base64 padding, so NAME=value splits into the name and the value.
const TOKEN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const MIN_CLASS_CHANGES = 0.35;
// camelCase words (JsonSchema7AllOfType) keep ~80% of their lower-case letters in runs of 3+;
// random base62 about 40%.
const MAX_LOWERCASE_IN_WORDS = 0.75;
const MAX_ENTROPY_THRESHOLD = 4.0;
const ENTROPY_SHARE_OF_MAXIMUM = 0.8;
const HEX = /^[0-9a-fA-F]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function findHighEntropyTokens(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of text.matchAll(TOKEN)) {
    // Paths and URLs are split at their separators: each segment must look random on its own.
    let offset = match.index;
    for (const part of match[0].split('/')) {
      if (part.length >= 20 && looksRandom(part)) spans.push({ start: offset, end: offset + part.length, rule: 'high-entropy-token' });
      offset += part.length + 1;
    }
  }
  return spans;
}

export function looksRandom(token: string): boolean {
  const core = token.replace(/=+$/, '');
  if (core.length < 20 || HEX.test(core) || UUID.test(core)) return false;
  if (!/[a-z]/.test(core) || !/[A-Z]/.test(core) || !/[0-9]/.test(core)) return false;
  // Separators join words in identifiers (A_return_statement_1108): judge the characters between them.
  const compact = core.replace(/[_-]+/g, '');
  if (classChanges(compact) < MIN_CLASS_CHANGES || lowercaseInWords(compact) >= MAX_LOWERCASE_IN_WORDS) return false;
  return shannonEntropy(core) >= Math.min(MAX_ENTROPY_THRESHOLD, ENTROPY_SHARE_OF_MAXIMUM * Math.log2(core.length));
}

/** Bits per character of the string's own character distribution. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function classChanges(text: string): number {
  let changes = 0;
  for (let i = 1; i < text.length; i++) if (charClass(text[i]!) !== charClass(text[i - 1]!)) changes++;
  return changes / (text.length - 1);
}

/** Share of lower-case letters in runs of three or more: high for words, about a third for random text. */
function lowercaseInWords(text: string): number {
  const runs = text.match(/[a-z]+/g) ?? [];
  const total = runs.reduce((n, r) => n + r.length, 0);
  return total ? runs.reduce((n, r) => n + (r.length >= 3 ? r.length : 0), 0) / total : 0;
}

function charClass(ch: string): number {
  if (ch >= 'a' && ch <= 'z') return 0;
  if (ch >= 'A' && ch <= 'Z') return 1;
  if (ch >= '0' && ch <= '9') return 2;
  return 3;
}
