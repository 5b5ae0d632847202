// Vendor token formats secretlint's recommended preset has no rule for. Each pattern is anchored on
// the vendor's own prefix or structure, so normal code does not match.
import type { SecretSpan } from './secretSpan';

interface Format {
  rule: string;
  pattern: RegExp;
  /** The capture group holding the secret (the whole match when absent). */
  group?: number;
}

const FORMATS: readonly Format[] = [
  { rule: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g },
  { rule: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { rule: 'azure-storage-account-key', pattern: /\bAccountKey=([A-Za-z0-9+/]{86}==)/g, group: 1 },
  { rule: 'twilio-api-key', pattern: /\bSK[0-9a-f]{32}\b/g },
  { rule: 'twilio-auth-token', pattern: /\btwilio[A-Za-z_]*(?:auth|token|secret)[A-Za-z_]*["']?\s*[:=]\s*["']?([0-9a-f]{32})\b/gi, group: 1 },
  { rule: 'mailgun-api-key', pattern: /\bkey-[0-9a-zA-Z]{32}\b/g },
  { rule: 'discord-bot-token', pattern: /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g },
  { rule: 'json-web-token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g },
  { rule: 'pypi-token', pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}(?![A-Za-z0-9_-])/g },
  { rule: 'sendgrid-api-key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { rule: 'password-in-url', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"]{1,100}:([^\s@/'"]{1,200})@[^\s/'"]+/gi, group: 1 },
  { rule: 'private-key', pattern: /-----BEGIN[A-Z ]{0,20} PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,10000}?-----END[A-Z ]{0,20} PRIVATE KEY(?: BLOCK)?-----/g },
];

export function findKnownSecretFormats(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const { rule, pattern, group } of FORMATS) {
    for (const match of text.matchAll(pattern)) {
      const secret = group ? match[group] : match[0];
      if (!secret) continue;
      const start = match.index + (group ? match[0].indexOf(secret) : 0);
      spans.push({ start, end: start + secret.length, rule });
    }
  }
  return spans;
}
