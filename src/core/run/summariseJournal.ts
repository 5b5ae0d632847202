// The journal's figures: what was delegated and what was kept, what the person accepted, what the
// breaker and the tests caught, and what it cost, in total, per task and per day, so a person can
// see where delegation pays.
import { MATCH_RUNGS, type MatchRung } from '../proposals/matchRungs';
import type { JournalEvent } from './journalEvent';

export interface JournalFigures {
  nodesDelegated: number;
  nodesKept: number;
  /** Node runs that ended done. */
  nodesDone: number;
  proposals: number;
  hunksAccepted: number;
  hunksRejected: number;
  /** Search blocks of reviewed proposals, by the rung of the ladder that placed them. */
  searchBlocks: Record<MatchRung, number>;
  breakerReviews: number;
  breakerFails: number;
  findings: { critical: number; major: number; minor: number };
  testRuns: number;
  /** Test runs that failed after a change: failures caught before they stayed in. */
  testFailures: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

export interface TaskFigures {
  taskId: string;
  title: string;
  first: number;
  last: number;
  figures: JournalFigures;
}

export interface DayFigures {
  /** YYYY-MM-DD, UTC, so the same journal gives the same table anywhere. */
  day: string;
  figures: JournalFigures;
}

export interface JournalSummary {
  since?: number;
  events: number;
  total: JournalFigures;
  /** Newest activity first; empty when byTask is false. */
  tasks: TaskFigures[];
  /** Oldest first. */
  days: DayFigures[];
}

export interface SummaryOptions {
  /** Only events at or after this time (ms since the epoch, or a Date). */
  since?: number | Date;
  /** Figures per task as well as in total (default true). */
  byTask?: boolean;
}

export function emptyFigures(): JournalFigures {
  return {
    nodesDelegated: 0,
    nodesKept: 0,
    nodesDone: 0,
    proposals: 0,
    hunksAccepted: 0,
    hunksRejected: 0,
    searchBlocks: Object.fromEntries(MATCH_RUNGS.map((rung) => [rung, 0])) as Record<MatchRung, number>,
    breakerReviews: 0,
    breakerFails: 0,
    findings: { critical: 0, major: 0, minor: 0 },
    testRuns: 0,
    testFailures: 0,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cost: 0,
  };
}

export function summariseJournal(events: readonly JournalEvent[], options: SummaryOptions = {}): JournalSummary {
  const since = options.since instanceof Date ? options.since.getTime() : options.since;
  const kept = events.filter((e) => since === undefined || e.time >= since).sort((a, b) => a.time - b.time);
  const total = figuresOf(kept);
  const tasks = new Map<string, JournalEvent[]>();
  const days = new Map<string, JournalEvent[]>();
  for (const e of kept) {
    push(tasks, e.taskId, e);
    push(days, new Date(e.time).toISOString().slice(0, 10), e);
  }
  return {
    ...(since !== undefined ? { since } : {}),
    events: kept.length,
    total,
    tasks:
      options.byTask === false
        ? []
        : [...tasks.entries()]
            .map(([taskId, list]) => ({ taskId, title: list.at(-1)!.taskTitle, first: list[0]!.time, last: list.at(-1)!.time, figures: figuresOf(list) }))
            .sort((a, b) => b.last - a.last),
    days: [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, list]) => ({ day, figures: figuresOf(list) })),
  };
}

/** Figures of a set of events (in time order). A node counts once, as its latest decision says. */
function figuresOf(events: readonly JournalEvent[]): JournalFigures {
  const f = emptyFigures();
  const modes = new Map<string, 'delegate' | 'keep'>();
  for (const e of events) {
    switch (e.kind) {
      case 'node':
        modes.set(`${e.taskId}\u0000${e.nodeId}`, e.mode);
        break;
      case 'proposal':
        f.proposals++;
        f.hunksAccepted += e.hunksAccepted;
        f.hunksRejected += e.hunksRejected;
        for (const rung of MATCH_RUNGS) f.searchBlocks[rung] += e.matched?.[rung] ?? 0;
        break;
      case 'breaker':
        f.breakerReviews++;
        if (e.verdict === 'fail') f.breakerFails++;
        f.findings.critical += e.critical;
        f.findings.major += e.major;
        f.findings.minor += e.minor;
        break;
      case 'tests':
        f.testRuns++;
        if (!e.passed) f.testFailures++;
        break;
      case 'usage':
        f.calls++;
        f.inputTokens += e.inputTokens;
        f.outputTokens += e.outputTokens;
        f.cost += e.cost;
        break;
      case 'outcome':
        if (e.outcome === 'done') f.nodesDone++;
        break;
    }
  }
  for (const mode of modes.values()) {
    if (mode === 'delegate') f.nodesDelegated++;
    else f.nodesKept++;
  }
  return f;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
