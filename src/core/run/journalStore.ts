// The journal on disk: `.baton/journal.jsonl` through the StateStore port. Append-only: existing
// lines are never rewritten, so a line Baton cannot read stays where it is and is reported (with
// its line number) rather than dropped or "repaired".
import { LockedTurns } from '../lockedTurns';
import type { Clock, StateStore } from '../ports';
import { JOURNAL_FILE, JOURNAL_SCHEMA_VERSION, JournalEventSchema, type JournalEvent, type NewJournalEvent } from './journalEvent';

export interface LoadedJournal {
  events: JournalEvent[];
  /** Lines that are not valid events, e.g. from a newer Baton or a hand edit. */
  unreadable: { line: number; problem: string }[];
}

export class JournalStore {
  // StateStore writes whole files: each append takes its turn from read to write.
  private readonly turns: LockedTurns;

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly path: string = JOURNAL_FILE,
  ) {
    this.turns = new LockedTurns(store, path);
  }

  /** Adds events at the end, each checked against the schema first (a bad one throws, nothing is written). */
  async append(events: readonly NewJournalEvent[]): Promise<JournalEvent[]> {
    const stamped = events.map((e) => JournalEventSchema.parse({ ...e, v: JOURNAL_SCHEMA_VERSION, time: e.time ?? this.clock.now() }));
    if (stamped.length === 0) return [];
    return this.turns.take(async () => {
      const existing = (await this.store.read(this.path)) ?? new Uint8Array();
      let text = new TextDecoder().decode(existing);
      if (text && !text.endsWith('\n')) text += '\n'; // a line cut by a crash stays on its own line
      text += stamped.map((e) => `${JSON.stringify(e)}\n`).join('');
      await this.store.write(this.path, new TextEncoder().encode(text));
      return stamped;
    });
  }

  async load(): Promise<LoadedJournal> {
    await this.turns.settled();
    const bytes = await this.store.read(this.path);
    if (!bytes) return { events: [], unreadable: [] };
    return parseJournal(new TextDecoder().decode(bytes));
  }
}

export function parseJournal(text: string): LoadedJournal {
  const events: JournalEvent[] = [];
  const unreadable: LoadedJournal['unreadable'] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      unreadable.push({ line: index + 1, problem: `not JSON (${(err as Error).message})` });
      return;
    }
    const parsed = JournalEventSchema.safeParse(json);
    if (parsed.success) events.push(parsed.data);
    else unreadable.push({ line: index + 1, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ') });
  });
  return { events, unreadable };
}
