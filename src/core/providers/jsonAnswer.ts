// JSON as models really write it when nothing constrains them: wrapped in a ```json fence, with a
// sentence before or after, after a <think> block, with a trailing comma or a raw line break inside
// a string. The JSON is found and repaired (jsonrepair), never invented: an answer cut off at the
// output limit is not repaired, since closing its brackets would turn half an answer into a
// complete-looking one.
import { jsonrepair } from 'jsonrepair';

export type JsonAnswer = { ok: true; value: unknown } | { ok: false; problem: string };

const THINKING = /<think>[\s\S]*?<\/think>/gi;
const FENCE = /```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```/g;

export function readJsonAnswer(text: string, options: { cutOff: boolean }): JsonAnswer {
  const found = candidates(text.replace(THINKING, '').trim());
  let firstProblem: string | undefined;
  for (const candidate of found) {
    try {
      return { ok: true, value: JSON.parse(candidate) as unknown };
    } catch (error) {
      firstProblem ??= error instanceof Error ? error.message : String(error);
    }
  }
  // Repairs start from the tightest candidate: repairing prose around JSON makes a list of both.
  for (const candidate of options.cutOff ? [] : [...found].reverse()) {
    try {
      const repaired = JSON.parse(jsonrepair(candidate)) as unknown;
      // Every answer is an object; jsonrepair makes a string of plain prose.
      if (typeof repaired === 'object' && repaired !== null && !Array.isArray(repaired)) return { ok: true, value: repaired };
    } catch {
      // not JSON even when repaired: try the next candidate
    }
  }
  return { ok: false, problem: firstProblem ?? 'it is empty' };
}

/** The whole answer, then each fenced block, then the text from the first "{" to the last "}". */
function candidates(answer: string): string[] {
  const found = [answer, ...[...answer.matchAll(FENCE)].map((match) => match[1]!.trim())];
  const open = answer.indexOf('{');
  const close = answer.lastIndexOf('}');
  if (open !== -1 && close > open) found.push(answer.slice(open, close + 1));
  return [...new Set(found)].filter((candidate) => candidate.length > 0);
}
