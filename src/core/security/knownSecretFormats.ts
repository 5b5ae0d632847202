// Vendor token formats secretlint's recommended preset has no rule for (gitleaks' rule set is the
// reference for which ones exist). Each pattern is anchored on the vendor's own prefix or
// structure, so it matches wherever the token is (a README, a shell history, test output) and
// normal code does not.
import type { SecretSpan } from './secretSpan';
import { isPlaceholder } from './secretValue';

interface Format {
  rule: string;
  pattern: RegExp;
  /** The capture group holding the secret (the whole match when absent). */
  group?: number;
  /** For shapes that documentation fills with "password" or "${PASS}": only real values count. */
  skipPlaceholders?: boolean;
  /** Text every match holds, for patterns that do not start with it: no match is looked for without it. */
  hint?: string;
}

// Not preceded by a token character, so a prefix inside a longer word does not count.
const START = String.raw`(?<![A-Za-z0-9_-])`;
const END = String.raw`(?![A-Za-z0-9_-])`;
const token = (body: string, flags = 'g'): RegExp => new RegExp(`${START}${body}${END}`, flags);

const FORMATS: readonly Format[] = [
  { rule: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g },
  { rule: 'aws-bedrock-api-key', pattern: token(String.raw`ABSK[A-Za-z0-9+/]{109,269}={0,2}`) },
  { rule: 'google-api-key', pattern: token(String.raw`AIza[0-9A-Za-z_-]{35}`) },
  { rule: 'google-oauth-client-secret', pattern: token(String.raw`GOCSPX-[A-Za-z0-9_-]{28}`) },
  { rule: 'google-oauth-access-token', pattern: token(String.raw`ya29\.[0-9A-Za-z_-]{30,}`) },
  { rule: 'azure-storage-account-key', pattern: /\bAccountKey=([A-Za-z0-9+/]{86}==)/g, group: 1 },
  { rule: 'azure-ad-client-secret', pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g },
  { rule: 'alibaba-access-key-id', pattern: token('LTAI[A-Za-z0-9]{20}') },
  { rule: 'digitalocean-token', pattern: token('do[opr]_v1_[a-f0-9]{64}') },
  { rule: 'stripe-key', pattern: token('(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99}') },
  { rule: 'stripe-webhook-secret', pattern: token('whsec_[A-Za-z0-9+/]{32,}') },
  { rule: 'square-token', pattern: token('sq0(?:atp|csp)-[0-9A-Za-z_-]{22,60}') },
  { rule: 'shippo-token', pattern: token('shippo_(?:live|test)_[a-fA-F0-9]{40}') },
  {
    rule: 'gitlab-token',
    pattern: token(
      'gl(?:ptt-[0-9a-f]{40}|(?:rt|dt|ft|soat|ffct)-[0-9A-Za-z_-]{20,}|cbt-[0-9A-Za-z]{1,5}_[0-9A-Za-z_-]{20,}|oas-[0-9A-Za-z_-]{64}|agent-[0-9A-Za-z_-]{50}|imt-[0-9A-Za-z_-]{25})',
    ),
  },
  { rule: 'twilio-api-key', pattern: /\bSK[0-9a-f]{32}\b/g },
  { rule: 'twilio-auth-token', pattern: /\btwilio[A-Za-z_]*(?:auth|token|secret)[A-Za-z_]*["']?\s*[:=]\s*["']?([0-9a-f]{32})\b/gi, group: 1 },
  { rule: 'mailgun-api-key', pattern: /\bkey-[0-9a-zA-Z]{32}\b/g },
  { rule: 'mailchimp-api-key', pattern: token('[a-f0-9]{32}-us[0-9]{1,2}'), hint: '-us' },
  { rule: 'sendgrid-api-key', pattern: token(String.raw`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`) },
  { rule: 'brevo-api-key', pattern: token('x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}') },
  { rule: 'discord-bot-token', pattern: /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g },
  { rule: 'discord-webhook', pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{6,}\/([A-Za-z0-9_-]{60,})/g, group: 1 },
  { rule: 'teams-webhook', pattern: /https:\/\/[a-z0-9-]+\.webhook\.office\.com\/webhookb2\/[^\s"'<>`]{40,}/gi },
  // Often inside a URL path, right after "bot": only a digit before it would make it something else.
  { rule: 'telegram-bot-token', pattern: new RegExp(`(?<![0-9])[0-9]{8,10}:AA[0-9A-Za-z_-]{33}${END}`, 'g'), hint: ':AA' },
  { rule: 'facebook-access-token', pattern: token('EAA[CM][0-9A-Za-z]{100,}') },
  { rule: 'twitter-bearer-token', pattern: /\bA{22}[A-Za-z0-9%]{80,100}(?![A-Za-z0-9%])/g, hint: 'A'.repeat(22) },
  { rule: 'json-web-token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g },
  { rule: 'pypi-token', pattern: token('pypi-AgE[A-Za-z0-9_-]{50,}') },
  { rule: 'rubygems-token', pattern: token('rubygems_[a-f0-9]{48}') },
  { rule: 'clojars-token', pattern: token('CLOJARS_[a-z0-9]{60}', 'gi') },
  { rule: 'artifactory-api-key', pattern: token('AKCp[A-Za-z0-9]{69}') },
  { rule: 'atlassian-api-token', pattern: token('ATATT3[A-Za-z0-9_=-]{186}') },
  { rule: 'postman-api-key', pattern: token('PMAK-[a-f0-9]{24}-[a-f0-9]{34}', 'gi') },
  { rule: 'pulumi-token', pattern: token('pul-[a-f0-9]{40}') },
  { rule: 'prefect-token', pattern: token('pnu_[A-Za-z0-9]{36}') },
  { rule: 'readme-api-key', pattern: token('rdme_[a-z0-9]{70}') },
  { rule: 'scalingo-token', pattern: token('tk-us-[A-Za-z0-9_-]{48}') },
  { rule: 'planetscale-token', pattern: token(String.raw`pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}`) },
  { rule: 'doppler-token', pattern: token(String.raw`dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}`) },
  { rule: 'dynatrace-token', pattern: token(String.raw`dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}`) },
  { rule: 'easypost-api-key', pattern: token('EZ[AT]K[A-Za-z0-9]{54}') },
  { rule: 'flyio-token', pattern: token('fo1_[A-Za-z0-9_-]{43}') },
  { rule: 'flyio-token', pattern: token('fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}') },
  { rule: 'frameio-token', pattern: token('fio-u-[A-Za-z0-9_=-]{64}') },
  { rule: 'heroku-api-key', pattern: token('HRKU-AA[0-9A-Za-z_-]{58}') },
  { rule: 'new-relic-key', pattern: token('(?:NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9-]{32}|NRJS-[a-f0-9]{19})') },
  { rule: 'openshift-token', pattern: token('sha256~[A-Za-z0-9_-]{43}') },
  { rule: 'perplexity-api-key', pattern: token('pplx-[A-Za-z0-9]{48}') },
  { rule: 'sentry-token', pattern: token('(?:sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_]{60,})') },
  { rule: 'typeform-token', pattern: token(String.raw`tfp_[A-Za-z0-9_.=-]{59}`) },
  { rule: 'age-secret-key', pattern: token('AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}') },
  { rule: 'adobe-client-secret', pattern: token('p8e-[A-Za-z0-9]{32}') },
  { rule: 'mapbox-secret-token', pattern: token(String.raw`sk\.eyJ1Ijoi[A-Za-z0-9_.-]{50,}`) },
  { rule: 'cloudflare-origin-ca-key', pattern: token(String.raw`v1\.0-[a-f0-9]{24}-[a-f0-9]{146}`) },
  { rule: 'password-in-url', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"]{1,100}:([^\s@/'"]{1,200})@[^\s/'"]+/gi, group: 1, skipPlaceholders: true },
  // .NET, ODBC and JDBC connection strings: "Server=db;User Id=sa;Password=...;".
  {
    rule: 'connection-string-password',
    pattern: /(?<=[;"'])\s*(?:Password|Pwd)\s*=\s*([^;"'\s{}$%<>()[\]]{4,200})(?=;|["'])/gi,
    group: 1,
    skipPlaceholders: true,
  },
  {
    rule: 'private-key',
    pattern: /-----BEGIN[A-Z0-9 _-]{0,40} PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,10000}?-----END[A-Z0-9 _-]{0,40} PRIVATE KEY(?: BLOCK)?-----/g,
  },
];

export function findKnownSecretFormats(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const { rule, pattern, group, skipPlaceholders, hint } of FORMATS) {
    if (hint && !text.includes(hint)) continue;
    for (const match of text.matchAll(pattern)) {
      const secret = group ? match[group] : match[0];
      if (!secret || (skipPlaceholders && isPlaceholder(secret))) continue;
      const start = match.index + (group ? match[0].lastIndexOf(secret) : 0);
      spans.push({ start, end: start + secret.length, rule });
    }
  }
  return spans;
}
