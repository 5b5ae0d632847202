// A value given to a name that says it is secret (API_KEY=..., "token": "...", password: ...).
// Catches formats no rule knows, including hex and UUID keys (a Heroku API key is a UUID) that the
// entropy rule leaves alone. The value must be a literal that looks like a key: no spaces, long
// enough, letters and digits, not a placeholder or a reference to somewhere else.
import type { SecretSpan } from './secretSpan';

const NAME = String.raw`[A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credential|signing[_-]?key)[A-Za-z0-9_.-]*`;
// Quoted values anywhere: "name": "value", name = 'value', NAME: "value".
const QUOTED = new RegExp(String.raw`(?:^|[^A-Za-z0-9_])(${NAME})["']?\s*(?::=|=>|=|:)\s*(["'\x60])([^\s"'\x60]{12,200})\2`, 'gim');
// Unquoted values only where a config or env file puts them: first on the line, nothing after.
const UNQUOTED = new RegExp(String.raw`^[ \t]*(?:export[ \t]+)?(${NAME})[ \t]*[:=][ \t]*([A-Za-z0-9+/=_.~-]{12,200})[ \t]*(?:#.*)?$`, 'gim');
const PLACEHOLDER = /^(?:x+|\*+|\.+|<.*>|\$\{.*\}|\{\{.*\}\}|%.*%|(?:your|my|example|changeme|placeholder|dummy|test|fake|redacted)[-_a-z]*)$/i;

export function findSecretAssignments(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of text.matchAll(QUOTED)) add(spans, match, match[3]!);
  for (const match of text.matchAll(UNQUOTED)) add(spans, match, match[2]!);
  return spans;
}

function add(spans: SecretSpan[], match: RegExpMatchArray, value: string): void {
  if (!looksLikeKey(value)) return;
  const start = match.index! + match[0].lastIndexOf(value);
  spans.push({ start, end: start + value.length, rule: 'secret-assignment' });
}

function looksLikeKey(value: string): boolean {
  if (PLACEHOLDER.test(value) || value.includes('REDACTED')) return false;
  // References to other places (process.env.X, settings.api_key, a path) are not the secret itself.
  if (/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value) || /^[./~]/.test(value) || /^[a-z][a-z0-9+.-]*:[a-z]/i.test(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return distinctCharacters(value) >= 8;
}

function distinctCharacters(text: string): number {
  return new Set(text).size;
}
