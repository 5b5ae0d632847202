import { redactSecrets } from '../security/redact';

/**
 * Lines quoted from workspace files (signatures, outlines) with secrets replaced by placeholders,
 * as in a plan's prompt. Redacted together, in one pass: redaction keeps the line count, so the
 * text splits back into the same snippets.
 */
export async function redactSnippets(snippets: readonly string[]): Promise<string[]> {
  if (snippets.length === 0) return [];
  const { text, findings } = await redactSecrets(snippets.join('\n'));
  if (findings.length === 0) return [...snippets];
  const lines = text.split('\n');
  let at = 0;
  return snippets.map((s) => {
    const count = s.split('\n').length;
    const out = lines.slice(at, at + count).join('\n');
    at += count;
    return out;
  });
}
