// What a maker proposes, what a breaker says of it, and what the person accepts: the shapes the
// verified-delegation loop passes between the engine, the model roles and the editor's review.
import type { MatchRung } from './matchRungs';
import { BatonError } from '../batonError';

/** One file's proposed change, resolved against the exact text the proposal was made from. */
export interface FileChange {
  path: string; // workspace-relative, '/' separators
  /** The file's text when the proposal was made; undefined when the proposal creates it. */
  before: string | undefined;
  /** The proposed text (line endings and ``` preserved exactly). */
  after: string;
  /** sha256 (hex) of the file's bytes when the proposal was made ('' when absent): applying refuses if it moved on. */
  baseHash: string;
  /** Where each of the maker's search blocks landed in `before` and how it was matched (none for a new file). */
  matches?: EditMatch[];
}

/** One search block's place in `before`: 1-based first line and line count, and the rung that found it. */
export interface EditMatch {
  /** 1-based position in the maker's list of edits. */
  edit: number;
  rung: MatchRung;
  beforeStart: number;
  beforeLines: number;
}

export interface Proposal {
  id: string;
  nodeId: string;
  round: number; // 1 for the first maker answer, then one more per breaker or test round
  summary: string;
  changes: FileChange[];
  /** What the person should know about how the proposal was made (an answer cut off, a file that changed meanwhile). */
  notes?: string[];
}

export type Severity = 'critical' | 'major' | 'minor';

export interface Finding {
  file: string;
  line: number | null;
  severity: Severity;
  /** What breaks. */
  problem: string;
  /** The input or situation that breaks it. */
  edgeCase: string;
}

export interface Review {
  verdict: 'pass' | 'fail';
  findings: Finding[];
}

/** One diff hunk of a FileChange, in the proposed file's line numbers and the original's. */
export interface Hunk {
  index: number;
  /** 1-based first line and line count in `before` (count 0: pure insertion after line start-1). */
  beforeStart: number;
  beforeLines: number;
  afterStart: number;
  afterLines: number;
}

/** What the person decided for one file: which hunks (by index) to apply. */
export interface FileDecision {
  path: string;
  acceptedHunks: number[];
}

/** The hunks accepted per file, or 'reject' for the whole node. */
export type ReviewDecisions = FileDecision[] | 'reject';

/**
 * The person's review of a proposal (the editor's diff review; tests script it). Resolves with the
 * decisions, or 'defer' when the person reviews later (the command line writes the proposal as a
 * patch and stops; the run is resumed with the decisions). Never applies anything itself.
 */
export interface ReviewPort {
  review(proposal: Proposal, breakerReview: Review | undefined, signal?: AbortSignal): Promise<ReviewDecisions | 'defer'>;
}

/** A file's final text after review, as the applier writes it. */
export interface AcceptedChange {
  path: string;
  before: string | undefined;
  text: string;
  baseHash: string;
}

/**
 * Writes accepted changes (in the editor: one WorkspaceEdit, so Undo works, then saved). Must refuse,
 * writing nothing, when a file's bytes no longer match its baseHash (ChangedSinceProposalError).
 */
export interface ChangeApplier {
  apply(changes: AcceptedChange[]): Promise<void>;
}

export class ChangedSinceProposalError extends BatonError {
  constructor(readonly paths: string[]) {
    super('conflict', `${paths.map((p) => `"${p}"`).join(', ')} changed since the proposal was made: nothing was applied. Ask for a fresh proposal.`);
  }
}
