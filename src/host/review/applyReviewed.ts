import type { CheckpointStore } from '../../core/checkpoints/checkpointStore';
import type { WorkspaceFiles } from '../../core/ports';
import { applyHunks } from '../../core/proposals/hunks';
import { ChangedSinceProposalError, type AcceptedChange, type ChangeApplier, type FileDecision, type Proposal } from '../../core/proposals/types';
import { changedSinceProposal } from '../../core/proposals/changedSinceProposal';
import { notifyWarning } from '../notifications';

// The step after the review: the accepted hunks become each file's final text, a checkpoint saves
// what those files hold now, and only then does anything get written.

export interface ApplyReviewedOptions {
  store: CheckpointStore;
  applier: ChangeApplier;
  nodeId: string;
  /** Read to refuse before a checkpoint is made when a file moved on (the applier checks again). */
  files: WorkspaceFiles;
  /** Asked when applying is refused; true means the person wants a fresh proposal. Default: a warning with a button. */
  offerFreshProposal?: (refusal: ChangedSinceProposalError) => Promise<boolean>;
}

export type ApplyReviewedOutcome =
  | { kind: 'applied'; checkpointId: string; written: string[]; created: string[] }
  | { kind: 'nothing-accepted' }
  | { kind: 'refused'; changed: string[]; message: string; freshProposalRequested: boolean };

export const REQUEST_FRESH_PROPOSAL = 'Request fresh proposal';

export async function applyWithCheckpoint(
  proposal: Proposal,
  decisions: readonly FileDecision[],
  options: ApplyReviewedOptions,
): Promise<ApplyReviewedOutcome> {
  const accepted = acceptedChanges(proposal, decisions);
  if (accepted.length === 0) return { kind: 'nothing-accepted' };

  const changed = await changedSinceProposal(accepted, options.files);
  if (changed.length > 0) return refuse(new ChangedSinceProposalError(changed), options);

  const checkpointId = await options.store.create({
    nodeId: options.nodeId,
    label: `Apply proposal ${proposal.id} (round ${proposal.round}): ${proposal.summary}`,
    paths: accepted.map((change) => change.path),
  });
  try {
    await options.applier.apply(accepted);
  } catch (err) {
    // Whatever was or was not written, the checkpoint records it, so it stays restorable.
    await options.store.recordAfter(checkpointId);
    if (err instanceof ChangedSinceProposalError) return refuse(err, options);
    throw err;
  }
  await options.store.recordAfter(checkpointId);
  return {
    kind: 'applied',
    checkpointId,
    written: accepted.filter((c) => c.baseHash !== '').map((c) => c.path),
    created: accepted.filter((c) => c.baseHash === '').map((c) => c.path),
  };
}

/** Each file with at least one accepted hunk, as its final text; the others are left alone. */
export function acceptedChanges(proposal: Proposal, decisions: readonly FileDecision[]): AcceptedChange[] {
  const accepted: AcceptedChange[] = [];
  for (const decision of decisions) {
    if (decision.acceptedHunks.length === 0) continue;
    const change = proposal.changes.find((c) => c.path === decision.path);
    if (!change) throw new Error(`The decisions name "${decision.path}", which proposal ${proposal.id} does not change.`);
    accepted.push({
      path: change.path,
      before: change.before,
      text: applyHunks(change.before, change.after, decision.acceptedHunks),
      baseHash: change.baseHash,
    });
  }
  return accepted;
}

async function refuse(refusal: ChangedSinceProposalError, options: ApplyReviewedOptions): Promise<ApplyReviewedOutcome> {
  const offer = options.offerFreshProposal ?? offerWithWarning;
  return { kind: 'refused', changed: refusal.paths, message: refusal.message, freshProposalRequested: await offer(refusal) };
}

async function offerWithWarning(refusal: ChangedSinceProposalError): Promise<boolean> {
  return (await notifyWarning(refusal.message, REQUEST_FRESH_PROPOSAL)) === REQUEST_FRESH_PROPOSAL;
}
