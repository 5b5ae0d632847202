import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CancellationError } from '../core/batonError';
import { ContextEngine } from '../core/context/engine';
import { engineWithPreferences } from '../core/context/contextPreferences';
import { formatLedger } from '../core/context/ledger';
import { RoleRouter } from '../core/providers/router';
import { terminalText } from '../core/security/untrustedText';
import type { TaskTree } from '../core/tasks/taskTree';
import { diffHunks } from '../core/proposals/hunks';
import { FilesApplier } from '../core/proposals/filesApplier';
import type { NodeRunOutcome, ReviewedRound, RunRound, TestStep } from '../core/run/nodeRun';
import { renderReviewPatch } from '../core/proposals/reviewPatch';
import { NodeRunFailure, runSavedNode } from '../core/run/savedNodeRun';
import { formatTestFailureForMaker, runTestCommand } from '../core/verify/testCommand';
import { ChangedSinceProposalError, type Proposal, type ReviewPort } from '../core/proposals/types';
import { NodeExec } from '../node/nodeExec';
import { defaultCacheRoot, NodeIndexCacheStore } from '../node/nodeIndexCacheStore';
import { allowSensitiveFlags } from './allowSensitive';
import type { CliWorkspace } from './cliWorkspace';
import { saveCache } from './contextCommand';
import { describeEvent, describeHunks, describePrompt, describeProgress, describeUsage, outputTail } from './runReport';
import type { RunSettings } from './runSettings';
import { positiveInt } from './taskInput';
import { UsageError } from './usage';

/** What `baton run` and `baton review` tell a CI job: done, failed, bad usage, waiting for a person's review, or cancelled (Ctrl-C, as a shell counts SIGINT). */
export const EXIT = { done: 0, failed: 1, usage: 2, waitingForReview: 3, cancelled: 130 } as const;

/** The options `baton run` and `baton review` share, as node:util's parseArgs takes them. */
export const NODE_RUN_OPTIONS = {
  repo: { type: 'string' },
  settings: { type: 'string' },
  model: { type: 'string' },
  patch: { type: 'string' },
  'run-tests': { type: 'boolean' },
  'test-command': { type: 'string' },
  'allow-sensitive': { type: 'string', multiple: true },
  rounds: { type: 'string' },
} as const;

export interface NodeRunFlags {
  patch?: string;
  'run-tests'?: boolean;
  'test-command'?: string;
  'allow-sensitive'?: string[];
  rounds?: string;
}

export interface CliRun {
  ws: CliWorkspace;
  tree: TaskTree;
  nodeId: string;
  settings: RunSettings;
  flags: NodeRunFlags;
  /** Apply every hunk of a proposal the breaker passed, instead of stopping for review. */
  apply: boolean;
  resumed?: ReviewedRound;
  /** Prints one line (or more) to stdout; every call goes through terminalText. */
  out(text: string): void;
  warn(text: string): void;
}

/**
 * Runs a node (or resumes its deferred review) on the core node run, printing each step, each
 * call's tokens and cost, and the outcome; a proposal waiting for review is written as a patch and
 * kept signed in `.baton/review/`. Resolves with the exit code.
 */
export async function runNodeFromCli(run: CliRun): Promise<number> {
  // One run per folder at a time: another window's or another `baton`'s run refuses this one.
  const endRun = await run.ws.workspace.beginRun(run.nodeId);
  try {
    return await runHeldNode(run);
  } finally {
    await endRun();
  }
}

async function runHeldNode(run: CliRun): Promise<number> {
  const say = (text: string): void => run.out(terminalText(text));
  const { ws, flags } = run;
  const node = run.tree.get(run.nodeId);
  const { maxRounds, testCommand } = checkRunFlags(flags, run.settings, run.apply);
  if (testCommand && !flags['run-tests']) say(`Not running the tests (\`${testCommand}\`): add --run-tests to run them after the change is applied.`);
  const router = RoleRouter.fromSettings(run.settings.providers, {
    secrets: run.settings.secrets,
    onStatus: (role, status) => say(`  ${role}: ${status.message}`),
  });
  const tests = testCommand && flags['run-tests'] ? testStep(testCommand, ws.repo) : undefined;
  const cache = NodeIndexCacheStore.forWorkspace(defaultCacheRoot(), ws.repo);
  const engine = await ContextEngine.open(ws.repo, { maxFileBytes: run.settings.maxFileBytes, cache });
  const preferences = await ws.workspace.preferences.get();

  say(`Node ${node.id} "${node.title}" (budget ${node.budget.allocated}, ${run.settings.rolesFrom})`);
  // Ctrl-C cancels the run as the editor's Cancel does (the node back as it was, every call kept);
  // a second Ctrl-C ends the process at once.
  const stop = new AbortController();
  const cancel = (): void => stop.abort(new CancellationError('Cancelled (Ctrl-C): nothing unreviewed was written.'));
  process.once('SIGINT', cancel);
  let result;
  try {
    result = await runSavedNode(
      run.tree,
      run.nodeId,
      async () => ({
        router,
        engine: engineWithPreferences(engine, preferences),
        files: ws.files,
        checkpoints: ws.checkpoints,
        review: run.apply ? acceptAllReview(say) : deferredReview,
        applier: new FilesApplier(ws.files),
        tests,
        sensitiveChanges: allowSensitiveFlags(flags['allow-sensitive'], say),
        signal: stop.signal,
        ...(maxRounds ? { maxRounds } : {}),
        onProgress: (p) => say(describeProgress(p)),
        onPrompt: (prompt) => say(describePrompt(prompt)),
        onEvent: (event) => {
          const line = describeEvent(event);
          if (line) say(line);
        },
      }),
      { store: ws.store, journal: ws.journal },
      run.resumed,
    );
  } catch (err) {
    if (!(err instanceof NodeRunFailure)) throw err;
    if (err.kind === 'cancelled') {
      say(`baton: "${node.title}" was cancelled at ${err.where}; nothing unreviewed was written, and the node is as it was before the run.`);
      return EXIT.cancelled;
    }
    if (run.resumed) await ws.pending.remove(run.nodeId);
    const advice =
      err.cause instanceof ChangedSinceProposalError ? ` Run the node again for a fresh proposal: baton run --repo ${ws.repo} --node ${node.id}` : '';
    say(`baton: "${node.title}" ${err.message}${advice}`);
    return EXIT.failed;
  } finally {
    process.removeListener('SIGINT', cancel);
    await saveCache(engine, cache, run.warn);
    await ws.journalWritten();
  }

  const code = await report(run, result.outcome, result.rounds, say);
  say(describeUsage(node.title, result.tree.get(run.nodeId).usage));
  return code;
}

/** The run's flags against its settings, checked before anything is changed; a bad combination is a usage error. */
export function checkRunFlags(flags: NodeRunFlags, settings: RunSettings, apply: boolean): { maxRounds?: number; testCommand?: string } {
  const maxRounds = positiveInt(flags.rounds, '--rounds', false);
  const testCommand = (flags['test-command'] ?? settings.testCommand)?.trim() || undefined;
  if (flags['run-tests'] && !testCommand)
    throw new UsageError('--run-tests needs a test command: give --test-command CMD or set "baton.tests.command" in your settings file.');
  if (apply && !settings.providers.roles?.breaker) {
    throw new UsageError(
      '--apply applies what the breaker passed, and no model is set for the breaker: set "baton.roles.breaker", or leave out --apply and review the patch.',
    );
  }
  return { ...(maxRounds ? { maxRounds } : {}), ...(testCommand ? { testCommand } : {}) };
}

/** Every hunk of every file: the breaker passed the proposal (runNode asks only then). */
function acceptAllReview(say: (text: string) => void): ReviewPort {
  return {
    review: async (proposal) => {
      const decisions = proposal.changes.map((c) => ({ path: c.path, acceptedHunks: diffHunks(c.before, c.after).map((h) => h.index) }));
      say(`  --apply: accepting ${decisions.reduce((n, d) => n + d.acceptedHunks.length, 0)} hunk(s) in ${decisions.length} file(s)`);
      return decisions;
    },
  };
}

const deferredReview: ReviewPort = { review: async () => 'defer' };

function testStep(command: string, cwd: string): TestStep {
  const exec = new NodeExec();
  return {
    command,
    run: async (signal) => {
      const result = await runTestCommand(exec, command, { cwd, signal });
      return { passed: result.passed, summary: result.summary, output: result.output, forMaker: formatTestFailureForMaker(result) };
    },
  };
}

async function report(run: CliRun, outcome: NodeRunOutcome, rounds: RunRound[], say: (text: string) => void): Promise<number> {
  const { ws } = run;
  const title = run.tree.get(run.nodeId).title;
  if (outcome.kind !== 'waiting-review' && run.resumed) await ws.pending.remove(run.nodeId);
  switch (outcome.kind) {
    case 'done':
      if (run.flags.patch !== undefined) writePatch(renderReviewPatch(outcome.proposal).text, run.flags.patch, say);
      say(
        `Done: "${title}" is applied (checkpoint ${outcome.checkpointId}; to take it back: baton checkpoints restore ${outcome.checkpointId} --repo ${ws.repo}).`,
      );
      return EXIT.done;
    case 'kept':
      say(`"${title}" is kept for you: its context plan is ready.\n${formatLedger(outcome.prompt.plan.ledger, { omittedRows: 5 })}`);
      return EXIT.done;
    case 'rejected':
      if (run.resumed?.decisions === 'reject') {
        say(`You rejected the proposal: nothing of "${title}" was applied, and the node can run again.`);
        return EXIT.done;
      }
      say(`Nothing of "${title}" was applied.`);
      return EXIT.failed;
    case 'breaker-failed':
      say(`The breaker still finds problems in "${title}" after the last round: nothing was applied.`);
      return EXIT.failed;
    case 'tests-failed':
      say(`The tests still fail after the last round of "${title}": ${rounds.at(-1)?.tests ?? 'failed'}\n${outputTail(outcome.output)}`);
      say(`The change stays applied; to take it back: baton checkpoints restore ${outcome.checkpointId} --repo ${ws.repo}`);
      return EXIT.failed;
    case 'waiting-review':
      await ws.pending.save({
        nodeId: run.nodeId,
        createdAt: Date.now(),
        round: outcome.round,
        proposal: outcome.proposal,
        ...(outcome.review ? { review: outcome.review } : {}),
        earlier: rounds.slice(0, -1),
      });
      showPatch(outcome.proposal, run.flags.patch, say);
      say(`"${title}" waits for your review. Then: baton review --repo ${ws.repo} --accept all (or hunk numbers, e.g. --accept 1,3), or --reject.`);
      return EXIT.waitingForReview;
  }
}

/** Prints the proposal as a patch (and writes it to FILE, byte for byte) with its numbered hunks. */
export function showPatch(proposal: Proposal, file: string | undefined, say: (text: string) => void): void {
  const patch = renderReviewPatch(proposal);
  say(`Proposal (round ${proposal.round}): ${proposal.summary}\n${patch.text}`);
  say(describeHunks(patch));
  if (file !== undefined) writePatch(patch.text, file, say);
}

/** The patch byte for byte (model text included: it is a file to review or `git apply`, not terminal output). */
function writePatch(text: string, file: string, say: (text: string) => void): void {
  writeFileSync(resolve(file), text);
  say(`Wrote the patch to ${resolve(file)}.`);
}
