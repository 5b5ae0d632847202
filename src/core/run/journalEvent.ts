// What the journal records: one line of `.baton/journal.jsonl` per event, so a person can see over
// time what was delegated and what was kept, what the review and the checks caught, and what it
// cost. Every line is checked against this schema when read; the file is only ever appended to.
import * as z from 'zod';
import { MATCH_RUNGS } from '../proposals/matchRungs';

export const JOURNAL_FILE = 'journal.jsonl';
export const JOURNAL_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();
const id = z.string().min(1).max(200);

const common = {
  v: z.literal(JOURNAL_SCHEMA_VERSION),
  /** ms since the epoch */
  time: z.number().nonnegative(),
  /** The root of the node's tree: "per task" figures group by it. */
  taskId: id,
  taskTitle: z.string().max(2000),
  nodeId: id,
};

export const JournalEventSchema = z.discriminatedUnion('kind', [
  /** The node went to a model (delegate) or stayed with the person (keep); `source` says who decided. */
  z.object({
    ...common,
    kind: z.literal('node'),
    mode: z.enum(['delegate', 'keep']),
    reason: z.string().max(2000).optional(),
    source: z.enum(['plan', 'run', 'person']),
  }),
  /** The person's review of one proposal round; `matched`: its search blocks per rung of the ladder that placed them. */
  z.object({
    ...common,
    kind: z.literal('proposal'),
    round: count,
    files: count,
    hunksAccepted: count,
    hunksRejected: count,
    matched: z.partialRecord(z.enum(MATCH_RUNGS), count).optional(),
  }),
  z.object({ ...common, kind: z.literal('breaker'), round: count, verdict: z.enum(['pass', 'fail']), critical: count, major: count, minor: count }),
  z.object({ ...common, kind: z.literal('tests'), round: count, passed: z.boolean(), command: z.string().max(2000), summary: z.string().max(2000) }),
  /** One model call. */
  z.object({
    ...common,
    kind: z.literal('usage'),
    role: z.string().max(40),
    model: z.string().max(200),
    inputTokens: count,
    outputTokens: count,
    cost: z.number().nonnegative(),
  }),
  /** How a node run ended. */
  z.object({
    ...common,
    kind: z.literal('outcome'),
    outcome: z.enum(['done', 'kept', 'rejected', 'tests-failed', 'breaker-failed', 'waiting-review', 'failed', 'cancelled']),
  }),
]);

export type JournalEvent = z.infer<typeof JournalEventSchema>;
export type JournalEventKind = JournalEvent['kind'];

/** An event before it is stamped: the store adds the version, and the time when it is not given. */
export type NewJournalEvent = DistributiveOmit<JournalEvent, 'v' | 'time'> & { time?: number };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
