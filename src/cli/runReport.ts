// What `baton run` and `baton review` print: each step, each call's tokens and cost, the breaker's
// findings, test results, and the proposal as a patch with its hunks numbered. Model and workspace
// text goes through terminalText where it is printed (cliNodeRun's `say`).
import type { NodePrompt } from '../core/tasks/nodePrompt';
import type { TaskUsage } from '../core/tasks/taskTree';
import type { NodeRunEvent, NodeRunProgress } from '../core/run/nodeRun';
import type { ReviewPatch } from '../core/proposals/reviewPatch';
import type { Review } from '../core/proposals/types';

export function describeProgress(p: NodeRunProgress): string {
  return `[${p.step}] ${p.message}`;
}

export function describePrompt(prompt: NodePrompt): string {
  return `  maker prompt: ${prompt.promptTokens}/${prompt.budget} tokens, ${prompt.plan.ledger.items.length} context items, at most $${prompt.preflight.cost.toFixed(4)}`;
}

/** One line per event, or none (the review's decisions are printed by whoever made them). */
export function describeEvent(event: NodeRunEvent): string | undefined {
  switch (event.kind) {
    case 'call':
      return `  ${event.role} (${event.model}): ${event.inputTokens} in + ${event.outputTokens} out tokens, $${event.cost.toFixed(4)}`;
    case 'breaker':
      return describeReview(event.review);
    case 'tests':
      return `  tests: ${event.summary}`;
    case 'review':
      return undefined;
  }
}

export function describeReview(review: Review): string {
  const findings = review.findings.map(
    (f) => `\n    - ${f.severity} ${f.file}${f.line === null ? '' : `:${f.line}`}: ${f.problem}${f.edgeCase ? ` (breaks when: ${f.edgeCase})` : ''}`,
  );
  return `  breaker: ${review.verdict}${review.findings.length ? `, ${review.findings.length} finding${review.findings.length === 1 ? '' : 's'}:` : ''}${findings.join('')}`;
}

export function describeUsage(title: string, usage: TaskUsage): string {
  return `"${title}" used ${usage.calls} call${usage.calls === 1 ? '' : 's'}: ${usage.inputTokens} in + ${usage.outputTokens} out tokens, $${usage.cost.toFixed(4)}.`;
}

/** The patch's hunks, numbered as `baton review --accept` takes them. */
export function describeHunks(patch: ReviewPatch): string {
  if (patch.hunks.length === 0) return 'The proposal changes nothing.';
  const rows = patch.hunks.map((h) => `  ${String(h.number).padStart(3)}  ${h.path}  ${h.header}  +${h.added} -${h.removed}`);
  return `Hunks (for --accept):\n${rows.join('\n')}`;
}

/** The last lines of a test run's output, for the person reading a failure. */
export function outputTail(output: string, lines = 30): string {
  const all = output.replace(/\n$/, '').split('\n');
  return all
    .slice(-lines)
    .map((line) => `    | ${line}`)
    .join('\n');
}
