// A model only ever sees secrets as "[REDACTED:<kind>]", so an edit that quotes one cannot match the
// file. Which lines of the file those placeholders stand for, so the person can be told exactly
// which line to edit themselves.
import { redactSecrets } from './redact';

const PLACEHOLDER = /\[REDACTED:[a-z0-9-]+\]/;

export function quotesRedaction(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/**
 * The 1-based lines of `fileText` whose secrets the placeholders in `quoted` stand for; empty when
 * `quoted` has none, or when the file itself holds the quoted text (then nothing was hidden).
 */
export async function linesBehindPlaceholders(fileText: string, quoted: string): Promise<number[]> {
  if (!quotesRedaction(quoted) || fileText.includes(quoted)) return [];
  const { text, findings } = await redactSecrets(fileText);
  const shownLines = text.split('\n');
  const lines = new Set<number>();
  for (const line of quoted.split('\n').filter((l) => quotesRedaction(l))) {
    const wanted = line.trim();
    shownLines.forEach((shown, i) => {
      if (shown.includes(wanted)) lines.add(i + 1);
    });
  }
  // The maker may have changed the rest of the line too: then any line with a secret of that kind.
  if (lines.size === 0) {
    for (const finding of findings) if (quoted.includes(`[REDACTED:${finding.rule}]`)) lines.add(finding.line);
  }
  return [...lines].sort((a, b) => a - b);
}
