// The maker's answer in plain text, for models and servers without structured output: fenced
// search/replace blocks, each after the path of its file, in the shape Aider made familiar. Parsed
// into the same { summary, edits } the JSON answer has, and validated by the same zod schema. An
// empty SEARCH section creates a new file with the REPLACE section as its content.
import type { TextFormat } from '../providers/structured';

export const TEXT_EDIT_INSTRUCTIONS = `Answer in this plain-text format, not JSON. First one line: "Summary: " and what the change does. Then one block per edit, each after the path of its file on a line of its own:

src/cart.ts
\`\`\`
<<<<<<< SEARCH
lines copied exactly from the file
=======
the lines that replace them
>>>>>>> REPLACE
\`\`\`

For a new file, leave the SEARCH section empty and put the whole content in the REPLACE section.`;

/** The answer's edits as plain data, before the schema checks them. */
export interface TextAnswer {
  summary: string;
  edits: { kind: 'replace' | 'create'; path: string; search?: string; replace?: string; content?: string }[];
  /** A block was still open when the text ended: it is left out, never applied in part. */
  incompleteBlock: boolean;
  /** Blocks that name no file, by their 1-based number. */
  blocksWithoutPath: number[];
}

const SEARCH = /^\s*<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE = /^\s*>{5,9} ?REPLACE\s*$/;
const FENCE = /^\s*(```|~~~)/;
const SUMMARY = /^\W*summary\W*:\s*(.+)$/i;
const NO_SUMMARY = '(the answer gave no summary)';
// How far above a SEARCH marker its path may be, fences and blank lines not counted.
const PATH_LOOKBACK = 3;

export function looksLikeTextEdits(text: string): boolean {
  return text.split(/\r?\n/).some((line) => SEARCH.test(line));
}

export function parseTextEdits(text: string): TextAnswer {
  const lines = text.split(/\r?\n/);
  const answer: TextAnswer = { summary: '', edits: [], incompleteBlock: false, blocksWithoutPath: [] };
  let lastPath: string | undefined;
  let prose: string[] = [];
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!;
    if (!SEARCH.test(line)) {
      prose.push(line);
      continue;
    }
    const path = pathAbove(prose) ?? lastPath;
    answer.summary ||= summaryIn(prose);
    prose = [];
    const search: string[] = [];
    const replace: string[] = [];
    let section: string[] | undefined = search;
    for (at++; at < lines.length && section; at++) {
      const inner = lines[at]!;
      if (section === search && DIVIDER.test(inner)) section = replace;
      else if (section === replace && REPLACE.test(inner)) section = undefined;
      else section.push(inner);
    }
    at--;
    if (section) {
      answer.incompleteBlock = true;
      break;
    }
    if (path === undefined) {
      answer.blocksWithoutPath.push(answer.edits.length + answer.blocksWithoutPath.length + 1);
      continue;
    }
    lastPath = path;
    answer.edits.push(
      search.length === 0
        ? { kind: 'create', path, content: joinLines(replace) }
        : { kind: 'replace', path, search: joinLines(search), replace: joinLines(replace) },
    );
  }
  answer.summary ||= summaryIn(prose) || NO_SUMMARY;
  return answer;
}

/** The maker's text format, as askStructured takes it. */
export const MAKER_TEXT_FORMAT: TextFormat = {
  instructions: TEXT_EDIT_INSTRUCTIONS,
  recognises: looksLikeTextEdits,
  read(text) {
    const answer = parseTextEdits(text);
    if (answer.blocksWithoutPath.length > 0) {
      return {
        ok: false,
        problem: `block ${answer.blocksWithoutPath.join(', ')} names no file: put the file's path alone on the line above each block's fence.`,
      };
    }
    if (answer.incompleteBlock) return { ok: false, problem: `block ${answer.edits.length + 1} is not closed: end each block with a ">>>>>>> REPLACE" line.` };
    if (answer.edits.length === 0) return { ok: false, problem: 'it holds no search/replace block.' };
    return { ok: true, value: { summary: answer.summary, edits: answer.edits } };
  },
};

/** Lines as the model wrote them, each ending in "\n" (the file's own endings are restored when placed). */
function joinLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** The path line just above a block: "src/a.ts", "`src/a.ts`", "**src/a.ts**", "### src/a.ts:". */
function pathAbove(prose: readonly string[]): string | undefined {
  const candidates = prose
    .filter((line) => line.trim() !== '' && !FENCE.test(line))
    .slice(-PATH_LOOKBACK)
    .reverse();
  for (const line of candidates) {
    const cleaned = line
      .trim()
      .replace(/^#+\s*/, '')
      .replace(/^(?:file|path)\s*:\s*/i, '')
      .replace(/:$/, '')
      .replace(/^[`*]+|[`*]+$/g, '')
      .replace(/:$/, '')
      .trim();
    if (/^[\w.@/-][^\s`*]*$/.test(cleaned) && /[./]/.test(cleaned) && !SUMMARY.test(line)) return cleaned;
  }
  return undefined;
}

function summaryIn(prose: readonly string[]): string {
  for (const line of prose) {
    const summary = SUMMARY.exec(line)?.[1]?.trim();
    if (summary) return summary;
  }
  return '';
}
