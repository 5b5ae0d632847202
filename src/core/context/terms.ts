// Turns prose and code into search terms. An identifier yields itself and its parts
// (`separability_matrix` -> separability_matrix, separability, matrix; `CompoundModel` ->
// compoundmodel, compound, model), so issue prose and code meet on the same words.

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our so such that the their them then there these they this to too us was we were ' +
    'what when where which while who why will with would you your self def return none true false null var let const'
  ).split(' '),
);

const CASE_PARTS = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

// Identifiers repeat endlessly in code: each distinct word is split once.
const expansions = new Map<string, readonly string[]>();
const MAX_MEMO = 500_000;

/** Calls `out` with every identifier-like word of `text`, in order. */
export function forEachWord(text: string, out: (word: string) => void): void {
  // A hand-written scan: a regex over megabytes of code allocates a match object per word.
  const n = text.length;
  let i = 0;
  // A word may start with a digit (`7z`, `2fa`, `3des`) but needs a letter: a bare number is no word.
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isIdentPart(c)) {
      i++;
      continue;
    }
    let named = isLetter(c);
    let j = i + 1;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (!isIdentPart(d)) break;
      named ||= isLetter(d);
    }
    if (named) out(text.slice(i, j));
    i = j;
  }
}

/** The search terms one identifier-like word yields (memoised: identifiers repeat endlessly in code). */
export function termsOfWord(word: string): readonly string[] {
  let terms = expansions.get(word);
  if (!terms) {
    terms = expand(word);
    if (expansions.size < MAX_MEMO) expansions.set(word, terms);
  }
  return terms;
}

/** Appends the terms of `text` to `out` (lower-case; stop words and 1-letter parts dropped). */
export function collectTerms(text: string, out: (term: string) => void): void {
  forEachWord(text, (word) => {
    for (const t of termsOfWord(word)) out(t);
  });
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isIdentPart(c: number): boolean {
  return isLetter(c) || c === 95 || (c >= 48 && c <= 57);
}

function expand(word: string): string[] {
  const terms: string[] = [];
  const lower = word.toLowerCase();
  if (lower.length > 1 && !STOP_WORDS.has(lower)) terms.push(lower);
  if (word.length < 4 || isPlainWord(word)) return terms;
  for (const part of word.split('_')) {
    if (!part) continue;
    const parts = isPlainWord(part) ? [part] : (part.match(CASE_PARTS) ?? []);
    for (const p of parts) {
      const pl = p.toLowerCase();
      if (pl.length > 1 && pl !== lower && !STOP_WORDS.has(pl)) terms.push(pl);
    }
  }
  return terms;
}

export function termsOf(text: string): string[] {
  const terms: string[] = [];
  collectTerms(text, (t) => terms.push(t));
  return terms;
}

/** Term frequencies of `text`. Words are counted first: each distinct word is expanded once. */
export function termFrequencies(text: string): Map<string, number> {
  const words = new Map<string, number>();
  forEachWord(text, (w) => words.set(w, (words.get(w) ?? 0) + 1));
  const tf = new Map<string, number>();
  for (const [word, n] of words) for (const t of termsOfWord(word)) tf.set(t, (tf.get(t) ?? 0) + n);
  return tf;
}

// "word", "Word" and "WORD" have no inner parts worth splitting.
function isPlainWord(word: string): boolean {
  return /^[a-z0-9]+$|^[A-Z][a-z0-9]*$|^[A-Z0-9]+$/.test(word);
}
