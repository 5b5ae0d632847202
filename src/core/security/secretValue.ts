// Whether a value found where secrets are written (after a secret-sounding name, in an
// Authorization header, in a URL's api_key parameter) is a secret itself, or a placeholder, a
// reference to somewhere else, or ordinary text.
import { looksRandom, shannonEntropy } from './entropy';

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|<.*>|\[.*\]|\(.*\)|\$.*|\{.*\}|%.*|#\{.*\}|.*\{\{.*\}\}.*|(?:your|my|example|sample|changeme|change[_-]me|placeholder|dummy|test|fake|redacted|secret|password|token|insert|replace|enter|some|foo|bar|todo|tbd|none|null|undefined)[-_.a-z]*|.*REDACTED.*|.*\.\.\..*)$/i;
const HEX = /^[0-9a-fA-F]+$/;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** A reference to where the secret is kept (process.env.X, settings.api_key, a path, a URL), not the secret. */
export function isReference(value: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?:\(\))?$/.test(value) || /^[./~]/.test(value) || /^[a-z][a-z0-9+.-]*:[a-z/]/i.test(value);
}

/** An API key, token or generated secret: letters and digits, not made of words. */
export function looksLikeKey(value: string): boolean {
  if (isPlaceholder(value) || isReference(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return new Set(value).size >= 8;
}

/**
 * A key where nothing but its shape says so (a bare name like "key" or "auth"): long hex, or long
 * and random-looking; ordinary ids and words stay.
 */
export function looksLikeStrongKey(value: string): boolean {
  if (isPlaceholder(value) || isReference(value)) return false;
  const core = value.replace(/=+$/, '');
  if (HEX.test(core)) return core.length >= 32 && /[0-9]/.test(core) && /[a-fA-F]/.test(core);
  return looksRandom(core) || (core.length >= 24 && /[0-9]/.test(core) && /[A-Za-z]/.test(core) && shannonEntropy(core) >= 4.2);
}

/**
 * A password where a password-named field holds it, however short (eight mixed characters): at least
 * three kinds of character, or two with a digit and some length; words and placeholders stay.
 */
export function looksLikePassword(value: string): boolean {
  if (value.length < 6 || /\s/.test(value) || isPlaceholder(value) || isReference(value)) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((k) => k.test(value)).length;
  if (kinds >= 3) return true;
  return kinds === 2 && value.length >= 8 && /[0-9]/.test(value) && shannonEntropy(value) >= 2.5;
}
