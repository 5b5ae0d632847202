import type { DiffReview } from '../review/diffReview';
import { notifyInfo } from '../notifications';

/** "Baton: Review Pending Changes": brings up the open diff review, or says there is none. Resolves with whether one was open. */
export async function reviewPendingChanges(review: DiffReview): Promise<boolean> {
  const current = review.current;
  if (!current) {
    void notifyInfo('Baton: no changes are waiting for review. Run a subtask ("Baton: Run Next Subtask") and its proposal opens here.');
    return false;
  }
  const files = current.proposal.changes.map((c) => c.path);
  // One file: open it; several: the review's own picker lists them with their hunk counts.
  await review.showFile(files.length === 1 ? files[0] : undefined);
  return true;
}
