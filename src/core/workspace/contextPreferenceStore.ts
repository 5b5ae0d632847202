import { CONTEXT_PREFERENCES_FILE, readContextPreferences, type ContextPreferenceSet } from '../context/contextPreferences';
import { LockedTurns } from '../lockedTurns';
import type { StateStore } from '../ports';

// Writing the person's pins and excludes (`.baton/context.json`; context/contextPreferences.ts
// reads the file and makes plans honour it). Each change is read, change, write of one small file,
// under its lock: one at a time here, and against a second window or the command line.

export type ContextChoice = 'pin' | 'exclude' | 'none';

export class ContextPreferenceStore {
  private readonly turns: LockedTurns;

  constructor(private readonly state: StateStore) {
    this.turns = new LockedTurns(state, CONTEXT_PREFERENCES_FILE);
  }

  /** The preferences; none when there is no file. A file it cannot read throws ContextPreferencesError. */
  get(): Promise<ContextPreferenceSet> {
    return readContextPreferences(this.state);
  }

  /** Pins, excludes, or clears one path; choosing one undoes the other. Resolves with the choice it replaced. */
  set(path: string, choice: ContextChoice): Promise<ContextChoice> {
    return this.turns.take(async () => {
      const current = await this.get(); // a file it cannot read is never overwritten
      const previous: ContextChoice = current.pinned.includes(path) ? 'pin' : current.excluded.includes(path) ? 'exclude' : 'none';
      const pinned = current.pinned.filter((p) => p !== path);
      const excluded = current.excluded.filter((p) => p !== path);
      if (choice === 'pin') pinned.push(path);
      if (choice === 'exclude') excluded.push(path);
      const file = { schemaVersion: 1, pinned: pinned.sort(), excluded: excluded.sort() };
      await this.state.write(CONTEXT_PREFERENCES_FILE, new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`));
      return previous;
    });
  }
}
