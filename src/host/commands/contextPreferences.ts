import { join } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { ContextEngine, PlanRequest } from '../../core/context/engine';
import { NodeStateStore } from '../../node/nodeAdapters';

// The person's standing choices about context, per workspace folder: files always shown (pinned)
// and files never shown (excluded), whatever the task. Kept in `.baton/context.json` rather than
// workspaceState so they are visible, survive a new machine, can be committed with the project,
// and the CLI can read them too. Every plan honours them: pins become signals.pinned, excludes
// are dropped (an exclude wins over a pin, including a node's likely files).

export const CONTEXT_PREFERENCES_FILE = 'context.json';

export type ContextChoice = 'pin' | 'exclude' | 'none';

export interface ContextPreferenceSet {
  /** Workspace-relative paths, '/' separators, sorted. */
  pinned: string[];
  excluded: string[];
}

const FileSchema = z.object({
  schemaVersion: z.literal(1),
  pinned: z.array(z.string().min(1)),
  excluded: z.array(z.string().min(1)),
});

export class ContextPreferencesError extends Error {
  override name = 'ContextPreferencesError';
}

export class ContextPreferences implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the folder whose preferences changed (through this class). */
  readonly onDidChange = this.changed.event;
  // Writes are read-modify-write of one small file: one at a time.
  private queue: Promise<unknown> = Promise.resolve();

  async get(folder: vscode.Uri): Promise<ContextPreferenceSet> {
    const bytes = await store(folder).read(CONTEXT_PREFERENCES_FILE);
    if (!bytes) return { pinned: [], excluded: [] };
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (err) {
      throw new ContextPreferencesError(`.baton/${CONTEXT_PREFERENCES_FILE} is not valid JSON (${(err as Error).message}); fix or delete it.`);
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`).join('; ');
      throw new ContextPreferencesError(`.baton/${CONTEXT_PREFERENCES_FILE} cannot be read (${problems}); fix or delete it.`);
    }
    return { pinned: [...new Set(parsed.data.pinned)].sort(), excluded: [...new Set(parsed.data.excluded)].sort() };
  }

  /** Pins, excludes, or clears one path; choosing one undoes the other. Resolves with the choice it replaced. */
  set(folder: vscode.Uri, path: string, choice: ContextChoice): Promise<ContextChoice> {
    const next = this.queue.then(async () => {
      const current = await this.get(folder); // a file it cannot read is never overwritten
      const previous: ContextChoice = current.pinned.includes(path) ? 'pin' : current.excluded.includes(path) ? 'exclude' : 'none';
      const pinned = current.pinned.filter((p) => p !== path);
      const excluded = current.excluded.filter((p) => p !== path);
      if (choice === 'pin') pinned.push(path);
      if (choice === 'exclude') excluded.push(path);
      const file = { schemaVersion: 1, pinned: pinned.sort(), excluded: excluded.sort() };
      await store(folder).write(CONTEXT_PREFERENCES_FILE, new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`));
      this.changed.fire(folder);
      return previous;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The request with the person's pins added and excludes dropped. */
export function withPreferences(request: PlanRequest, preferences: ContextPreferenceSet): PlanRequest {
  return {
    ...request,
    signals: { ...request.signals, pinned: [...(request.signals?.pinned ?? []), ...preferences.pinned] },
    dropped: [...new Set([...(request.dropped ?? []), ...preferences.excluded])],
  };
}

/**
 * The engine as the node runner and the planner should see it: every plan honours the
 * preferences. Object.create keeps the index and every other member; only plan() changes.
 */
export function engineWithPreferences(engine: ContextEngine, preferences: ContextPreferenceSet): ContextEngine {
  if (preferences.pinned.length === 0 && preferences.excluded.length === 0) return engine;
  const honouring = Object.create(engine) as ContextEngine;
  honouring.plan = (request) => engine.plan(withPreferences(request, preferences));
  return honouring;
}

function store(folder: vscode.Uri): NodeStateStore {
  return new NodeStateStore(join(folder.fsPath, '.baton'));
}
