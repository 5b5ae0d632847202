import type { FileDecision, Hunk } from '../../core/proposals/types';

// What the person has decided so far, hunk by hunk. Every hunk starts 'pending' and a pending hunk
// is never applied: nothing reaches disk that the person did not accept.

export type HunkDecision = 'pending' | 'accepted' | 'rejected';

export interface ReviewedFile {
  path: string;
  hunks: Hunk[];
}

export interface DecisionCounts {
  accepted: number;
  rejected: number;
  pending: number;
}

export class ReviewDecisions {
  private readonly byPath = new Map<string, HunkDecision[]>();

  constructor(
    readonly files: readonly ReviewedFile[],
    private readonly onChange: () => void,
  ) {
    for (const file of files)
      this.byPath.set(
        file.path,
        file.hunks.map(() => 'pending'),
      );
  }

  get(path: string, index: number): HunkDecision {
    return this.decisionsOf(path)[this.checkIndex(path, index)] ?? 'pending';
  }

  setHunk(path: string, index: number, decision: HunkDecision): void {
    this.decisionsOf(path)[this.checkIndex(path, index)] = decision;
    this.onChange();
  }

  setFile(path: string, decision: HunkDecision): void {
    this.decisionsOf(path).fill(decision);
    this.onChange();
  }

  setAll(decision: HunkDecision): void {
    for (const decisions of this.byPath.values()) decisions.fill(decision);
    this.onChange();
  }

  counts(path?: string): DecisionCounts {
    const counts: DecisionCounts = { accepted: 0, rejected: 0, pending: 0 };
    const lists = path === undefined ? [...this.byPath.values()] : [this.decisionsOf(path)];
    for (const decisions of lists) for (const decision of decisions) counts[decision] += 1;
    return counts;
  }

  /** One entry per file; pending and rejected hunks are both left out. */
  toFileDecisions(): FileDecision[] {
    return this.files.map((file) => ({
      path: file.path,
      acceptedHunks: this.decisionsOf(file.path).flatMap((decision, index) => (decision === 'accepted' ? [index] : [])),
    }));
  }

  private decisionsOf(path: string): HunkDecision[] {
    const decisions = this.byPath.get(path);
    if (!decisions) throw new Error(`"${path}" is not part of the proposal under review (it has ${[...this.byPath.keys()].map((p) => `"${p}"`).join(', ')}).`);
    return decisions;
  }

  private checkIndex(path: string, index: number): number {
    const count = this.decisionsOf(path).length;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new RangeError(`"${path}" has no hunk ${index}: it has ${count} (numbered from 0).`);
    }
    return index;
  }
}

export function describeCounts({ accepted, rejected, pending }: DecisionCounts): string {
  return `${accepted} accepted, ${rejected} rejected, ${pending} undecided`;
}
