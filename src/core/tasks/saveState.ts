// The compact state a node leaves behind when it finishes. Nodes that depend on it see this state
// instead of its conversation, so it has to be small, and what the person pinned must survive.
import * as z from 'zod';

export const SaveStateSchema = z.object({
  filesChanged: z.array(z.object({ path: z.string().min(1), summary: z.string() })),
  decisions: z.array(z.string()),
  openQuestions: z.array(z.string()),
  /** Facts the person or the summariser pinned: compaction never drops them. */
  pinnedFacts: z.array(z.string()),
  summary: z.string(),
});

export type SaveState = z.infer<typeof SaveStateSchema>;

export type CountTokens = (text: string) => number;

/** Compaction never goes below this many tokens, unless the state is smaller to begin with. */
export const SAVE_STATE_FLOOR_TOKENS = 200;

export function renderSaveState(state: SaveState): string {
  const lines: string[] = [];
  if (state.summary) lines.push(state.summary);
  if (state.pinnedFacts.length > 0) lines.push('Pinned facts:', ...state.pinnedFacts.map((f) => `- ${f}`));
  if (state.decisions.length > 0) lines.push('Decisions:', ...state.decisions.map((d) => `- ${d}`));
  if (state.openQuestions.length > 0) lines.push('Open questions:', ...state.openQuestions.map((q) => `- ${q}`));
  if (state.filesChanged.length > 0) {
    lines.push('Files changed:', ...state.filesChanged.map((f) => (f.summary ? `- ${f.path}: ${f.summary}` : `- ${f.path}`)));
  }
  return lines.join('\n');
}

export interface CompactedSaveState {
  state: SaveState;
  tokens: number;
  /** The size compaction aimed for: the requested size, raised to the floor. */
  target: number;
  /** What was cut, in the order it was cut, for the person to see. */
  trimmed: string[];
}

/**
 * Shrinks `state` to `maxTokens` (as rendered by renderSaveState), cutting the least useful parts
 * first: per-file summaries, then the changed paths themselves, then the tail of the summary, then
 * open questions (last first), then decisions (oldest first). Pinned facts are never cut, and the
 * state never shrinks below a floor: SAVE_STATE_FLOOR_TOKENS or the pinned facts' own size,
 * whichever is larger. So the result can exceed `maxTokens` (`target` is the size aimed for), and
 * it exceeds `target` only when every remaining cut would take it below the floor.
 */
export function compactSaveState(state: SaveState, maxTokens: number, countTokens: CountTokens): CompactedSaveState {
  const pinnedOnly: SaveState = { filesChanged: [], decisions: [], openQuestions: [], pinnedFacts: state.pinnedFacts, summary: '' };
  const floor = Math.max(SAVE_STATE_FLOOR_TOKENS, countTokens(renderSaveState(pinnedOnly)));
  const target = Math.max(maxTokens, floor);
  const trimmed: string[] = [];
  let current: SaveState = structuredClone(state);
  const size = (s: SaveState): number => countTokens(renderSaveState(s));
  if (size(current) <= target) return { state: current, tokens: size(current), target, trimmed };

  // Each step removes one small piece; compaction stops as soon as the state fits.
  const steps: Array<() => boolean> = [
    () => {
      const index = lastIndexWhere(current.filesChanged, (f) => f.summary !== '');
      if (index < 0) return false;
      const file = current.filesChanged[index]!;
      current = { ...current, filesChanged: current.filesChanged.map((f, i) => (i === index ? { path: f.path, summary: '' } : f)) };
      trimmed.push(`summary of ${file.path}`);
      return true;
    },
    () => {
      const file = current.filesChanged.at(-1);
      if (!file) return false;
      current = { ...current, filesChanged: current.filesChanged.slice(0, -1) };
      trimmed.push(`changed file ${file.path}`);
      return true;
    },
    () => {
      // The longest opening of the summary that lets the state fit (binary search on words).
      const words = current.summary.split(/\s+/).filter(Boolean);
      if (words.length === 0) return false;
      const withWords = (k: number): SaveState => ({
        ...current,
        summary: k === 0 ? '' : k === words.length ? words.join(' ') : `${words.slice(0, k).join(' ')} …`,
      });
      let low = 0;
      let high = words.length - 1;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (size(withWords(mid)) <= target) low = mid;
        else high = mid - 1;
      }
      current = withWords(low);
      trimmed.push(`the last ${words.length - low} words of the summary`);
      return true;
    },
    () => {
      const question = current.openQuestions.at(-1);
      if (question === undefined) return false;
      current = { ...current, openQuestions: current.openQuestions.slice(0, -1) };
      trimmed.push(`open question "${question}"`);
      return true;
    },
    () => {
      const decision = current.decisions[0];
      if (decision === undefined) return false;
      current = { ...current, decisions: current.decisions.slice(1) };
      trimmed.push(`decision "${decision}"`);
      return true;
    },
  ];
  for (const step of steps) {
    while (size(current) > target) {
      const before = current;
      const trimmedBefore = trimmed.length;
      if (!step()) break;
      // Never cut below the floor: undo a cut that overshoots it and try a smaller kind of cut.
      if (size(current) < floor) {
        current = before;
        trimmed.length = trimmedBefore;
        break;
      }
    }
    if (size(current) <= target) break;
  }
  return { state: current, tokens: size(current), target, trimmed };
}

function lastIndexWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}
