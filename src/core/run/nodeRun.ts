import type { CheckpointStore } from '../checkpoints/checkpointStore';
import type { JsonValue } from '../checkpoints/manifest';
import type { ContextPlanner } from '../context/contextPlanner';
import type { ResolvedPath, WorkspaceFiles } from '../ports';
import type { Role } from '../providers/providerSettings';
import type { RoleRouter } from '../providers/router';
import { TokenCounter } from '../tokens/tokenCounter';
import { buildNodePrompt, type NodePrompt } from '../tasks/nodePrompt';
import { summariseNode } from '../tasks/summariser';
import type { TaskTree } from '../tasks/taskTree';
import { recordUsage } from '../tasks/usage';
import { PathRefusedError } from '../security/pathPolicy';
import { confirmSensitiveChanges, type SensitiveChangeGuard } from '../security/sensitiveChangeGuard';
import { reviewProposal } from '../verify/breaker';
import { applyHunks } from '../proposals/hunks';
import { makeProposal, MAKER_INSTRUCTIONS, type MakerFeedback } from '../proposals/maker';
import type { AcceptedChange, ChangeApplier, Proposal, Review, ReviewDecisions, ReviewPort } from '../proposals/types';

export type NodeRunStep = 'context' | 'maker' | 'breaker' | 'review' | 'checkpoint' | 'apply' | 'tests' | 'summary';

export interface NodeRunProgress {
  step: NodeRunStep;
  round: number;
  message: string;
  /** The tree with every call so far recorded: what to save if the run fails from here on. */
  tree: TaskTree;
}

/** The project's test command, already confirmed by the person (the caller's job) and run through Exec. */
export interface TestStep {
  command: string;
  run(signal?: AbortSignal): Promise<{ passed: boolean; summary: string; output: string; forMaker: string }>;
}

/** What happened in a run, as it happens (the journal records these); never changes the run. */
export type NodeRunEvent =
  | { kind: 'call'; role: Role; model: string; inputTokens: number; outputTokens: number; cost: number }
  | { kind: 'breaker'; round: number; review: Review }
  | { kind: 'review'; round: number; proposal: Proposal; decisions: ReviewDecisions }
  | { kind: 'tests'; round: number; command: string; passed: boolean; summary: string };

export interface NodeRunDependencies {
  router: RoleRouter;
  engine: ContextPlanner;
  files: WorkspaceFiles;
  checkpoints: CheckpointStore;
  review: ReviewPort;
  applier: ChangeApplier;
  tests?: TestStep;
  /** Maker rounds at most (each breaker "fail" or test failure starts one). Default 3. */
  maxRounds?: number;
  signal?: AbortSignal;
  onProgress?(progress: NodeRunProgress): void;
  /** The maker's prompt and pre-flight estimate, before each call. */
  onPrompt?(prompt: NodePrompt): void;
  /** The second yes for accepted changes to sensitive paths; without it they are never written. */
  sensitiveChanges?: SensitiveChangeGuard;
  onEvent?(event: NodeRunEvent): void;
  /** The tree with the call just finished recorded on the node: what to save if the run stops from here on. */
  onUsage?(tree: TaskTree): void;
}

export type NodeRunOutcome =
  | { kind: 'done'; checkpointId: string; proposal: Proposal }
  | { kind: 'kept'; prompt: NodePrompt }
  | { kind: 'rejected'; proposal: Proposal }
  | { kind: 'tests-failed'; checkpointId: string; proposal: Proposal; output: string }
  | { kind: 'breaker-failed'; proposal: Proposal; review: Review }
  /** The review port deferred: the node waits in 'review' until the run is resumed with the decisions. */
  | { kind: 'waiting-review'; round: number; proposal: Proposal; review?: Review };

/** One maker round: its proposal, the breaker's review of it and the test summary. */
export interface RunRound {
  proposal: Proposal;
  review?: Review;
  tests?: string;
}

export interface NodeRunResult {
  tree: TaskTree;
  outcome: NodeRunOutcome;
  /** Every round's proposal, the breaker's review of it and the test summary, in order (the journal). */
  rounds: RunRound[];
}

/** A deferred review, decided: the run goes on from the person's decisions of that round. */
export interface ReviewedRound {
  round: number;
  proposal: Proposal;
  review?: Review;
  decisions: ReviewDecisions;
  /** The rounds before it, for the save state's log. */
  earlier: RunRound[];
}

const DEFAULT_MAX_ROUNDS = 3;

/**
 * Runs one node: maker -> breaker -> the person's review -> checkpoint -> apply -> tests -> save
 * state. A breaker "fail" or a test failure goes back to the maker as a new round (reviewed again),
 * within maxRounds. Nodes marked "keep" stop after preparing their context. Nothing is written
 * before the person accepts it, and every write is preceded by a checkpoint. With `resumed`, the
 * run starts from the person's decisions on a review it deferred before.
 */
export async function runNode(tree: TaskTree, nodeId: string, deps: NodeRunDependencies, resumed?: ReviewedRound): Promise<NodeRunResult> {
  let current = tree;
  const progress = (step: NodeRunStep, round: number, message: string): void => {
    deps.signal?.throwIfAborted();
    deps.onProgress?.({ step, round, message, tree: current });
  };
  // Every finished call goes on the node and to the journal as it finishes: a step that fails or is
  // cancelled afterwards (an unresolvable maker answer, a breaker that never answers) loses none.
  const router = deps.router.observed((call) => {
    const recorded = recordUsage(
      current,
      nodeId,
      { model: call.model, inputTokens: call.usage.inputTokens, outputTokens: call.usage.outputTokens },
      deps.router.prices,
    );
    current = recorded.tree;
    deps.onEvent?.({
      kind: 'call',
      role: call.role,
      model: call.model,
      inputTokens: call.usage.inputTokens,
      outputTokens: call.usage.outputTokens,
      cost: recorded.cost,
    });
    deps.onUsage?.(current);
  });
  const rounds: RunRound[] = [...(resumed?.earlier ?? [])];
  const node = tree.get(nodeId);

  if (node.mode === 'keep') {
    progress('context', 0, `Preparing the context of "${node.title}" for you (kept: ${node.keepReason ?? 'not delegated'})`);
    const maker = await deps.router.bindingFor('maker');
    const facts = await maker.provider.modelFacts(maker.model);
    const prompt = await buildNodePrompt({
      engine: deps.engine,
      tree,
      nodeId,
      instructions: MAKER_INSTRUCTIONS,
      model: maker.model,
      facts,
      maxOutputTokens: maker.maxOutputTokens ?? facts.maxOutputTokens,
      counter: new TokenCounter(facts.encoding),
    });
    return { tree: tree.edit(nodeId, { state: 'kept' }), outcome: { kind: 'kept', prompt }, rounds };
  }

  const maxRounds = deps.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const breakerOn = deps.router.isConfigured('breaker');
  current = tree.edit(nodeId, { state: 'running' });
  let feedback: MakerFeedback | undefined;
  for (let round = resumed?.round ?? 1; round <= maxRounds; round++) {
    let entry: RunRound;
    let decisions: ReviewDecisions;
    if (resumed && round === resumed.round) {
      entry = { proposal: resumed.proposal, ...(resumed.review ? { review: resumed.review } : {}) };
      rounds.push(entry);
      decisions = resumed.decisions;
    } else {
      progress('maker', round, `Round ${round}: asking the maker for a proposal`);
      const made = await makeProposal({
        router,
        engine: deps.engine,
        tree: current,
        nodeId,
        files: deps.files,
        round,
        feedback,
        signal: deps.signal,
        onPrompt: deps.onPrompt,
      });
      entry = { proposal: made.proposal };
      rounds.push(entry);

      if (breakerOn) {
        progress('breaker', round, `Round ${round}: the breaker reviews the proposal`);
        const review = await reviewProposal(router, current, made.proposal, deps.signal);
        entry.review = review;
        deps.onEvent?.({ kind: 'breaker', round, review });
        if (review.verdict === 'fail') {
          if (round < maxRounds) {
            feedback = { review };
            continue;
          }
          return { tree: current.edit(nodeId, { state: 'failed' }), outcome: { kind: 'breaker-failed', proposal: made.proposal, review }, rounds };
        }
      }

      // The node waits in 'review' from now on, and whoever shows progress shows it so.
      current = current.edit(nodeId, { state: 'review' });
      progress('review', round, `Round ${round}: waiting for your review of ${made.proposal.changes.length} file(s)`);
      const answer = await deps.review.review(made.proposal, entry.review, deps.signal);
      if (answer === 'defer') {
        return {
          tree: current,
          outcome: { kind: 'waiting-review', round, proposal: made.proposal, ...(entry.review ? { review: entry.review } : {}) },
          rounds,
        };
      }
      decisions = answer;
    }
    const proposal = entry.proposal;
    deps.onEvent?.({ kind: 'review', round, proposal, decisions });
    current = current.edit(nodeId, { state: 'running' }); // decided: the run goes on without the person
    const chosen = decisions === 'reject' ? [] : acceptedChanges(proposal, decisions);
    // Where each file really leads: a path leaving the workspace is refused and a link on the way
    // needs the person's yes, before anything is written and before the confirmation names them.
    const resolved =
      chosen.length === 0
        ? []
        : await prepareWrites(
            deps.files,
            chosen.map((c) => c.path),
          );
    // Sensitive paths (.vscode/, .git/, CI, task runners, package scripts, env files) need a second yes: workspace text may have asked for them.
    const guarded = await confirmSensitiveChanges(chosen, resolved, deps.sensitiveChanges, deps.signal);
    if (guarded.withheld.length)
      progress('review', round, `Round ${round}: not applying ${guarded.withheld.map((w) => w.path).join(', ')}: sensitive, and not confirmed`);
    const accepted = guarded.apply;
    if (accepted.length === 0) return { tree: current.edit(nodeId, { state: 'planned' }), outcome: { kind: 'rejected', proposal }, rounds };

    progress('checkpoint', round, `Round ${round}: saving a checkpoint of ${accepted.length} file(s)`);
    const usage = current.get(nodeId).usage;
    const checkpointId = await deps.checkpoints.create({
      nodeId,
      label: `${current.get(nodeId).title} (round ${round})`,
      paths: accepted.map((c) => c.path),
      treeState: JSON.parse(JSON.stringify(current.toSnapshot())) as JsonValue, // plain data, as the manifest stores it
      tokens: usage.inputTokens + usage.outputTokens,
      cost: usage.cost,
    });
    progress('apply', round, `Round ${round}: applying what you accepted`);
    await deps.applier.apply(accepted);
    await deps.checkpoints.recordAfter(checkpointId);

    if (deps.tests) {
      progress('tests', round, `Round ${round}: running ${deps.tests.command}`);
      const result = await deps.tests.run(deps.signal);
      entry.tests = result.summary;
      deps.onEvent?.({ kind: 'tests', round, command: deps.tests.command, passed: result.passed, summary: result.summary });
      current = current.edit(nodeId, { notes: `Tests (${deps.tests.command}), round ${round}: ${result.summary}` });
      if (!result.passed) {
        if (round < maxRounds) {
          feedback = { testFailure: result.forMaker };
          current = current.edit(nodeId, { state: 'running' });
          continue;
        }
        return { tree: current.edit(nodeId, { state: 'failed' }), outcome: { kind: 'tests-failed', checkpointId, proposal, output: result.output }, rounds };
      }
    }

    if (deps.router.isConfigured('summariser')) {
      progress('summary', round, 'Writing the save state');
      const changes = accepted.map((c) => ({ path: c.path, detail: c.before === undefined ? 'created' : 'modified' }));
      const log = rounds
        .map((r, i) => `Round ${i + 1}: ${r.proposal.summary}${r.review ? ` (breaker: ${r.review.verdict})` : ''}${r.tests ? ` (tests: ${r.tests})` : ''}`)
        .join('\n');
      const summarised = await summariseNode(router, current, nodeId, { changes, log }, { signal: deps.signal });
      current = current.edit(nodeId, { saveState: summarised.state, state: 'done' });
    } else {
      current = current.edit(nodeId, { state: 'done' });
    }
    return { tree: current, outcome: { kind: 'done', checkpointId, proposal }, rounds };
  }
  // Only a resumed run can get here: its round was past maxRounds (it has none left).
  throw new Error(`runNode: no round of ${maxRounds} left to run (asked to start at round ${resumed?.round ?? 1})`);
}

/** The accepted paths as the path policy resolves them; a refusal says that nothing was written. */
async function prepareWrites(files: WorkspaceFiles, paths: string[]): Promise<ResolvedPath[]> {
  try {
    return await files.prepare(paths, 'write');
  } catch (err) {
    if (err instanceof PathRefusedError) throw new PathRefusedError(err.action, err.refusals, 'Nothing of this proposal was written.');
    throw err;
  }
}

/** The final text of every file with at least one accepted hunk. */
function acceptedChanges(proposal: Proposal, decisions: { path: string; acceptedHunks: number[] }[]): AcceptedChange[] {
  const out: AcceptedChange[] = [];
  for (const change of proposal.changes) {
    const decision = decisions.find((d) => d.path === change.path);
    if (!decision || decision.acceptedHunks.length === 0) continue;
    out.push({ path: change.path, before: change.before, text: applyHunks(change.before, change.after, decision.acceptedHunks), baseHash: change.baseHash });
  }
  return out;
}
