import { parseArgs } from 'node:util';
import { terminalText } from '../core/security/untrustedText';
import type { PendingReview } from '../core/run/pendingReview';
import { decisionsForSelection, HunkSelectionError, renderReviewPatch } from '../core/proposals/reviewPatch';
import type { FileDecision } from '../core/proposals/types';
import { EXIT, NODE_RUN_OPTIONS, runNodeFromCli, showPatch } from './cliNodeRun';
import { openWorkspace, type CliWorkspace } from './cliWorkspace';
import { exitOnKnownFailure } from './knownFailures';
import { readRunSettings, settingsFile } from './runSettings';
import { UsageError } from './usage';

/**
 * `baton review`: the proposal a `baton run` left waiting. Without a decision it shows the patch
 * again; `--accept all` or `--accept 1,3` (the patch's hunk numbers) applies those hunks after a
 * checkpoint and goes on with the run (tests, save state); `--reject` applies nothing.
 */
export async function runReview(
  args: string[],
  out: (text: string) => void,
  warn: (text: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values: opt } = parseArgs({
    args,
    strict: true,
    options: { ...NODE_RUN_OPTIONS, node: { type: 'string' }, accept: { type: 'string' }, reject: { type: 'boolean' } },
  });
  if (opt.accept !== undefined && opt.reject) throw new UsageError('Give --accept HUNKS or --reject, not both.');
  const ws = openWorkspace(opt.repo, env, warn);
  const say = (text: string): void => out(terminalText(text));

  return exitOnKnownFailure(say, async () => {
    const pending = await waitingReview(ws, opt.node, say);
    if (!pending) {
      say(opt.node === undefined ? 'Nothing waits for review.' : `Node ${opt.node} has no proposal waiting for review.`);
      return opt.accept !== undefined || opt.reject ? EXIT.failed : EXIT.done;
    }
    if (opt.accept === undefined && !opt.reject) {
      showPatch(pending.proposal, opt.patch, say);
      say(`Accept with: baton review --repo ${ws.repo} --node ${pending.nodeId} --accept all (or hunk numbers), or --reject.`);
      return EXIT.waitingForReview;
    }
    const tree = (await ws.store.load()).tree;
    const node = tree.find(pending.nodeId);
    if (node?.state !== 'review') {
      await ws.pending.remove(pending.nodeId);
      say(
        `baton: node ${pending.nodeId} no longer waits for this review (it is ${node ? node.state : 'gone from .baton/tree.json'}); the proposal was set aside. Run the node again for a fresh one.`,
      );
      return EXIT.failed;
    }
    const decisions = opt.reject ? ('reject' as const) : selectedHunks(pending, opt.accept!);
    const settings = readRunSettings(settingsFile(opt.settings, env), opt.model, env);
    return runNodeFromCli({ ws, tree, nodeId: pending.nodeId, settings, flags: opt, apply: false, resumed: { ...pending, decisions }, out, warn });
  });
}

/** The decisions for --accept; a selection naming no hunk of the patch is a usage error. */
function selectedHunks(pending: PendingReview, selection: string): FileDecision[] {
  try {
    return decisionsForSelection(pending.proposal, renderReviewPatch(pending.proposal), selection);
  } catch (err) {
    if (err instanceof HunkSelectionError) throw new UsageError(err.message);
    throw err;
  }
}

/** The one pending review (or the named node's); foreign files in .baton/review/ are named and ignored. */
async function waitingReview(ws: CliWorkspace, nodeId: string | undefined, say: (text: string) => void): Promise<PendingReview | undefined> {
  const { own, foreign } = await ws.pending.list();
  for (const f of foreign) say(`Ignored ${f.path}: ${f.reason}; Baton never applies it.`);
  if (nodeId !== undefined) return own.find((p) => p.nodeId === nodeId);
  if (own.length > 1) throw new UsageError(`${own.length} nodes wait for review (${own.map((p) => p.nodeId).join(', ')}): name one with --node ID.`);
  return own[0];
}
