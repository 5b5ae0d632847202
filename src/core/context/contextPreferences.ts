import * as z from 'zod';
import type { StateStore } from '../ports';
import type { ContextPlanner } from './contextPlanner';
import type { PlanRequest } from './engine';
import { BatonError } from '../batonError';

// The person's standing choices about context, per workspace folder: files always shown (pinned)
// and files never shown (excluded), whatever the task. Kept in `.baton/context.json` rather than
// the editor's storage so they are visible, survive a new machine, can be committed with the
// project, and the command line honours them too. Every plan honours them: pins become
// signals.pinned, excludes are dropped (an exclude wins over a pin, including a node's likely files).

export const CONTEXT_PREFERENCES_FILE = 'context.json';

export interface ContextPreferenceSet {
  /** Workspace-relative paths, '/' separators, sorted. */
  pinned: string[];
  excluded: string[];
}

const ContextPreferencesFileSchema = z.object({
  schemaVersion: z.literal(1),
  pinned: z.array(z.string().min(1)),
  excluded: z.array(z.string().min(1)),
});

export class ContextPreferencesError extends BatonError {
  constructor(message: string) {
    super('input', message);
  }
}

/** The preferences in Baton's state (`.baton/`); none when there is no file. A bad file is an error naming it, never ignored. */
export async function readContextPreferences(state: StateStore): Promise<ContextPreferenceSet> {
  const bytes = await state.read(CONTEXT_PREFERENCES_FILE);
  if (!bytes) return { pinned: [], excluded: [] };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ContextPreferencesError(`.baton/${CONTEXT_PREFERENCES_FILE} is not valid JSON (${(err as Error).message}); fix or delete it.`);
  }
  const parsed = ContextPreferencesFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`).join('; ');
    throw new ContextPreferencesError(`.baton/${CONTEXT_PREFERENCES_FILE} cannot be read (${problems}); fix or delete it.`);
  }
  return { pinned: [...new Set(parsed.data.pinned)].sort(), excluded: [...new Set(parsed.data.excluded)].sort() };
}

/** The request with the person's pins added and excludes dropped. */
export function withPreferences(request: PlanRequest, preferences: ContextPreferenceSet): PlanRequest {
  return {
    ...request,
    signals: { ...request.signals, pinned: [...(request.signals?.pinned ?? []), ...preferences.pinned] },
    dropped: [...new Set([...(request.dropped ?? []), ...preferences.excluded])],
  };
}

/** The engine as the node runner and the planner should see it: every plan honours the preferences. */
export function engineWithPreferences(engine: ContextPlanner, preferences: ContextPreferenceSet): ContextPlanner {
  if (preferences.pinned.length === 0 && preferences.excluded.length === 0) return engine;
  return {
    root: engine.root,
    fileCount: engine.fileCount,
    plan: (request) => engine.plan(withPreferences(request, preferences)),
    pathRefusals: (paths) => engine.pathRefusals(paths),
  };
}
