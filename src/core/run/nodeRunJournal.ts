// Turns what a node run reports (nodeRun's onEvent, its outcome) into journal events.
import type { FinishedCall } from '../providers/callObserver';
import type { PriceTable } from '../providers/prices';
import type { TaskTree } from '../tasks/taskTree';
import { callCost } from '../tasks/usage';
import { diffHunks } from '../proposals/hunks';
import type { NodeRunEvent, NodeRunOutcome } from './nodeRun';
import type { MatchRung } from '../proposals/matchRungs';
import type { NewJournalEvent } from './journalEvent';

/** Which task and node an event belongs to. */
export interface JournalSubject {
  taskId: string;
  taskTitle: string;
  nodeId: string;
}

/** The subject of a node: its tree's root is the task. */
export function journalSubject(tree: TaskTree, nodeId: string): JournalSubject {
  const root = tree.ancestors(nodeId).at(-1) ?? tree.get(nodeId);
  return { taskId: root.id, taskTitle: root.title, nodeId };
}

export function journalEventFromRun(subject: JournalSubject, event: NodeRunEvent): NewJournalEvent {
  switch (event.kind) {
    case 'call':
      return {
        ...subject,
        kind: 'usage',
        role: event.role,
        model: event.model,
        inputTokens: event.inputTokens,
        outputTokens: event.outputTokens,
        cost: event.cost,
      };
    case 'breaker': {
      const by = (severity: string): number => event.review.findings.filter((f) => f.severity === severity).length;
      return {
        ...subject,
        kind: 'breaker',
        round: event.round,
        verdict: event.review.verdict,
        critical: by('critical'),
        major: by('major'),
        minor: by('minor'),
      };
    }
    case 'review': {
      // Undecided hunks are never applied, so they count as rejected.
      let accepted = 0;
      let all = 0;
      for (const change of event.proposal.changes) {
        const hunks = diffHunks(change.before, change.after).length;
        all += hunks;
        if (event.decisions !== 'reject') accepted += Math.min(hunks, event.decisions.find((d) => d.path === change.path)?.acceptedHunks.length ?? 0);
      }
      const matched: Partial<Record<MatchRung, number>> = {};
      for (const match of event.proposal.changes.flatMap((change) => change.matches ?? [])) matched[match.rung] = (matched[match.rung] ?? 0) + 1;
      return {
        ...subject,
        kind: 'proposal',
        round: event.round,
        files: event.proposal.changes.length,
        hunksAccepted: accepted,
        hunksRejected: all - accepted,
        matched,
      };
    }
    case 'tests':
      return {
        ...subject,
        kind: 'tests',
        round: event.round,
        passed: event.passed,
        command: event.command.slice(0, 2000),
        summary: event.summary.slice(0, 2000),
      };
  }
}

/** One finished model call outside a node run (the planner's), as the journal records it. */
export function journalEventFromCall(subject: JournalSubject, call: FinishedCall, prices: PriceTable): NewJournalEvent {
  const { cost } = callCost({ model: call.model, inputTokens: call.usage.inputTokens, outputTokens: call.usage.outputTokens }, prices);
  return { ...subject, kind: 'usage', role: call.role, model: call.model, inputTokens: call.usage.inputTokens, outputTokens: call.usage.outputTokens, cost };
}

export function journalEventFromOutcome(subject: JournalSubject, outcome: NodeRunOutcome['kind'] | 'failed' | 'cancelled'): NewJournalEvent {
  return { ...subject, kind: 'outcome', outcome };
}
