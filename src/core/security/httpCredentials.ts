// Credentials in the shapes HTTP gives them, wherever they are written: an Authorization or API-key
// header (a curl example in a README, a request logged in test output), a URL's api_key or token
// parameter, curl's -u user:password, and --password style command-line options.
import type { SecretSpan } from './secretSpan';
import { isPlaceholder, looksLikeKey, looksLikePassword, looksLikeStrongKey } from './secretValue';

const VALUE = String.raw`([A-Za-z0-9._~+/=:-]{8,500})`;
// "Authorization: Bearer <token>", "Authorization: token <token>", "Authorization: <key>".
const AUTHORIZATION = new RegExp(
  String.raw`\b(?:Proxy-)?Authorization["']?\s*[:=]\s*["'\x60]?[ \t]*(?:(Bearer|Token|Basic|Digest|Bot|Key|ApiKey|Api-Key|SSWS|OAuth)[ \t]+)?${VALUE}`,
  'gi',
);
// Dashed header names that carry keys: X-API-Key, Api-Key, Private-Token, X-Auth-Token, Ocp-Apim-Subscription-Key.
const KEY_HEADER = new RegExp(String.raw`\b((?:[A-Za-z0-9]+-)+(?:Key|Token|Secret|Signature|Password|Auth))["']?[ \t]*:[ \t]*["'\x60]?${VALUE}`, 'gi');
const QUERY_PARAMETER =
  /[?&;](?:api[_-]?key|apikey|key|access[_-]?token|auth[_-]?token|id[_-]?token|refresh[_-]?token|token|auth|secret|client[_-]?secret|private[_-]?token|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-security-token|x-goog-signature|x-goog-credential)=([^&;\s#"'<>`\\]{6,500})/gi;
const CURL_USER = /\bcurl\b[^\n]*?[ \t](?:-u|--user)(?:[ \t]+|=)(["']?)([^\s:"']{1,100}):([^\s"',;]{3,200})\1/g;
const PASSWORD_OPTION =
  /(?:^|[ \t])--(?:password|passwd|http-password|proxy-password|token|api-key|apikey|secret|auth-token|access-token)(?:[ \t]+|=)(["']?)([^\s"']{6,200})\1/gim;

export function findHttpCredentials(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const add = (match: RegExpMatchArray, value: string, rule: string): void => {
    const start = match.index! + match[0].lastIndexOf(value);
    spans.push({ start, end: start + value.length, rule });
  };
  for (const match of text.matchAll(AUTHORIZATION)) {
    const [, scheme, value] = match;
    if (scheme?.toLowerCase() === 'basic' ? isBasicCredential(value!) : looksLikeKey(value!)) add(match, value!, 'authorization-header');
  }
  for (const match of text.matchAll(KEY_HEADER)) {
    // "X-API-Key" says what it holds; "cache-key" or "sort-key" do not, so their values must look random.
    const named = /api|auth|token|secret|password|private|access|subscription/i.test(match[1]!);
    if (named ? looksLikeKey(match[2]!) : looksLikeStrongKey(match[2]!)) add(match, match[2]!, 'api-key-header');
  }
  for (const match of text.matchAll(QUERY_PARAMETER)) {
    const value = safeDecode(match[1]!);
    if (looksLikeKey(value) || looksLikePassword(value)) add(match, match[1]!, 'url-query-secret');
  }
  for (const match of text.matchAll(CURL_USER)) if (!isPlaceholder(match[3]!)) add(match, match[3]!, 'curl-user-password');
  for (const match of text.matchAll(PASSWORD_OPTION)) {
    if (looksLikePassword(match[2]!) || looksLikeKey(match[2]!)) add(match, match[2]!, 'command-line-secret');
  }
  return spans;
}

/** Basic credentials are base64 of "user:password". */
function isBasicCredential(value: string): boolean {
  if (isPlaceholder(value) || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
