// What can be kept of a maker's answer that stopped at the output limit (finish_reason "length"):
// the edits that arrived whole, and a sentence saying what was lost. An edit still open when the
// text ended is dropped whole, in either format: half an edit is never applied.
import type { WireFormat } from '../providers/answerFormats';
import { parseTextEdits } from './textEdits';

export interface CutOffAnswer {
  /** { summary, edits } with only whole edits, for the maker's schema to check. */
  value: { summary: string; edits: unknown[] };
  /** What was lost, for the maker's next prompt and the person. */
  lost: string;
}

/** The summary of a cut-off JSON answer whose summary did not arrive. */
export const CUT_SUMMARY = '(the summary was cut off)';

export function keepWholeEdits(text: string, format: WireFormat): CutOffAnswer {
  if (format === 'text') {
    const parsed = parseTextEdits(text);
    const value = { summary: parsed.summary, edits: parsed.edits };
    return { value, lost: lostSentence(value.edits.length, parsed.incompleteBlock) };
  }
  const { elements, open } = wholeArrayElements(text, 'edits');
  const edits = elements.flatMap((element) => {
    try {
      return [JSON.parse(element) as unknown];
    } catch {
      return [];
    }
  });
  return { value: { summary: summaryOf(text), edits }, lost: lostSentence(edits.length, open) };
}

function lostSentence(kept: number, openEdit: boolean): string {
  const what = openEdit
    ? `the edit after ${kept === 0 ? 'the start' : `edit ${kept}`} was incomplete and was dropped, with anything after it`
    : 'anything after them was lost';
  return `The answer was cut off at the output limit after ${kept} whole edit${kept === 1 ? '' : 's'}: ${what}.`;
}

function summaryOf(text: string): string {
  const quoted = /"summary"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text)?.[1];
  if (!quoted) return CUT_SUMMARY;
  try {
    return (JSON.parse(quoted) as string).trim() || CUT_SUMMARY;
  } catch {
    return CUT_SUMMARY;
  }
}

/**
 * The text of each element of the array under `key` that closed before the text ended, and whether
 * one was still open. A scan over strings and brackets, not a parser: it only has to know where each
 * whole element begins and ends.
 */
function wholeArrayElements(text: string, key: string): { elements: string[]; open: boolean } {
  const keyAt = new RegExp(`"${key}"\\s*:\\s*\\[`).exec(text);
  if (!keyAt) return { elements: [], open: false };
  const elements: string[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let at = keyAt.index + keyAt[0].length; at < text.length; at++) {
    const char = text[at];
    if (inString) {
      if (char === '\\') at++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      if (depth === 0) start = at;
      depth++;
    } else if (char === '}' || char === ']') {
      if (depth === 0) return { elements, open: false }; // the array closed
      depth--;
      if (depth === 0) {
        elements.push(text.slice(start, at + 1));
      }
    }
  }
  return { elements, open: depth > 0 || inString };
}
