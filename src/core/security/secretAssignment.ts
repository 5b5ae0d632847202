// A value given to a name that says it is secret (API_KEY=..., "token": "...", "pass": "...").
// Catches formats no rule knows, including hex and UUID keys (a Heroku API key is a UUID) that the
// entropy rule leaves alone. How sure the name is decides how much the value must look like a key:
//   - password names (password, passwd, pwd, pass, dbPass): any password-like value, however short;
//   - secret names (secret, token, api_key, credential, ...): letters and digits, 12 or more;
//   - bare key names (key, auth, signature, salt, encryptionKey): only long hex or random-looking values.
import type { SecretSpan } from './secretSpan';
import { looksLikeKey, looksLikePassword, looksLikeStrongKey } from './secretValue';

const NAME = String.raw`[A-Za-z_][A-Za-z0-9_.-]{0,60}`;
// Quoted values anywhere: "name": "value", name = 'value', NAME: "value", 'name' => 'value', env["NAME"] = "value".
const QUOTED = new RegExp(String.raw`(?:^|[^A-Za-z0-9_.-])(${NAME})["']?\]?\s*(?::=|=>|=|:)\s*(["'\x60])([^\s"'\x60]{6,200})\2`, 'gm');
// Unquoted values only where a config or env file puts them: first on the line, nothing after.
// Brackets, commas and semicolons end the value: "token = scanner.scan();" is code, not a token.
const UNQUOTED = new RegExp(String.raw`^[ \t]*(?:export[ \t]+)?(${NAME})[ \t]*[:=][ \t]*([^\s"'\x60(){}[\],;<>]{6,200})[ \t]*(?:[ \t]#.*)?$`, 'gm');

const PASSWORD_NAME = /passw(?:or)?d|passphrase|pwd|(?:^|[_.-])pass$|^pass(?:[_.-]|$)/i;
const CAMEL_PASSWORD_NAME = /[a-z0-9]Pass$/;
const SECRET_NAME = /secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credential|signing[_-]?key/i;
const KEY_NAME = /(?:^|[_.-])(?:key|auth|creds?|signature|sig|hmac|salt|seed)$/i;
const CAMEL_KEY_NAME = /[a-z0-9](?:Key|Auth|Creds?|Signature|Hmac|Salt|Seed)$/;

export function findSecretAssignments(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of text.matchAll(QUOTED)) add(spans, match, match[1]!, match[3]!);
  for (const match of text.matchAll(UNQUOTED)) add(spans, match, match[1]!, match[2]!);
  return spans;
}

function add(spans: SecretSpan[], match: RegExpMatchArray, name: string, value: string): void {
  if (!isSecretValue(name, value)) return;
  const start = match.index! + match[0].lastIndexOf(value);
  spans.push({ start, end: start + value.length, rule: 'secret-assignment' });
}

function isSecretValue(name: string, value: string): boolean {
  if (PASSWORD_NAME.test(name) || CAMEL_PASSWORD_NAME.test(name)) return looksLikePassword(value) || (value.length >= 12 && looksLikeKey(value));
  if (SECRET_NAME.test(name)) return value.length >= 12 && looksLikeKey(value);
  if (KEY_NAME.test(name) || CAMEL_KEY_NAME.test(name)) return looksLikeStrongKey(value);
  return false;
}
