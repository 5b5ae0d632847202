import * as vscode from 'vscode';
import { diffHunks } from '../../core/proposals/hunks';
import type { FileDecision, Hunk, Proposal, Review, ReviewPort } from '../../core/proposals/types';
import { breakerDiagnostics, breakerSummary } from './breakerDiagnostics';
import { HunkCodeLenses } from './hunkCodeLenses';
import { parseProposalUri, PROPOSAL_SCHEME, ProposalDocuments, proposalUri } from './proposalDocuments';
import { describeCounts, ReviewDecisions, type HunkDecision } from './reviewDecisions';
import { COMMANDS } from '../commandIds';
import { askModal } from '../notifications';
import { labelText } from '../../core/security/untrustedText';

// The person's review of a proposal in VS Code's diff editor: original against proposed, one file
// at a time, with a decision per hunk. It only collects decisions; applying them is the caller's
// step (applyWithCheckpoint), so a review can never write to disk by itself.

export const REVIEWING_CONTEXT_KEY = 'baton.reviewing';

interface ReviewSession {
  proposal: Proposal;
  breakerReview: Review | undefined;
  decisions: ReviewDecisions;
  currentPath: string;
  finish(result: FileDecision[] | 'reject', why: string): void;
}

export class DiffReview implements ReviewPort, vscode.Disposable {
  private readonly documents = new ProposalDocuments();
  private readonly lenses = new HunkCodeLenses({
    decisionsFor: (id) => (this.session?.proposal.id === id ? this.session.decisions : undefined),
    changeFor: (id, path) => {
      const proposal = this.session?.proposal.id === id ? this.session.proposal : undefined;
      const change = proposal?.changes.find((c) => c.path === path);
      return proposal && change && { change, notes: proposal.notes ?? [] };
    },
  });
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('baton-breaker');
  private readonly statusBar = vscode.window.createStatusBarItem('baton.review', vscode.StatusBarAlignment.Left, 90);
  private readonly registrations: vscode.Disposable[];
  private session: ReviewSession | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.statusBar.name = 'Baton review';
    this.statusBar.command = COMMANDS.showReviewFile;
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this.documents),
      vscode.languages.registerCodeLensProvider({ scheme: PROPOSAL_SCHEME }, this.lenses),
    ];
  }

  /** The proposal under review, if any (tests and the sidebar read it). */
  get current(): { proposal: Proposal; hunks: ReadonlyMap<string, Hunk[]> } | undefined {
    const session = this.session;
    if (!session) return undefined;
    return { proposal: session.proposal, hunks: new Map(session.decisions.files.map((f) => [f.path, f.hunks])) };
  }

  review(proposal: Proposal, breakerReview: Review | undefined, signal?: AbortSignal): Promise<FileDecision[] | 'reject'> {
    if (this.session) {
      const open = this.session.proposal;
      return Promise.reject(
        new Error(`A Baton review is already open (proposal ${open.id} of node ${open.nodeId}): apply or reject it before starting another.`),
      );
    }
    if (signal?.aborted) return Promise.resolve('reject');
    const first = proposal.changes[0];
    if (!first) return Promise.resolve([]);

    return new Promise((resolve) => {
      const cleanup: vscode.Disposable[] = [];
      const files = proposal.changes.map((change) => ({ path: change.path, hunks: diffHunks(change.before, change.after) }));
      const session: ReviewSession = {
        proposal,
        breakerReview,
        decisions: new ReviewDecisions(files, () => this.decisionsChanged()),
        currentPath: first.path,
        finish: (result, why) => {
          if (this.session !== session) return;
          this.session = undefined;
          this.log.info(`Review of proposal ${proposal.id} (node ${proposal.nodeId}) ended: ${why}.`);
          for (const disposable of cleanup) disposable.dispose();
          this.diagnostics.clear();
          this.statusBar.hide();
          void vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT_KEY, false);
          void closeTabsOf(proposal.id);
          this.lenses.refresh();
          resolve(result);
        },
      };
      this.session = session;
      cleanup.push(this.documents.serve(proposal));
      for (const { uri, diagnostics } of breakerDiagnostics(proposal, breakerReview).values()) this.diagnostics.set(uri, diagnostics);

      const onAbort = (): void => session.finish('reject', 'cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      cleanup.push(new vscode.Disposable(() => signal?.removeEventListener('abort', onAbort)));
      // Closing every diff of the proposal is how a person walks away from it: that rejects the node.
      cleanup.push(
        vscode.window.tabGroups.onDidChangeTabs((e) => {
          if (e.closed.some((tab) => tabProposalId(tab) === proposal.id) && !openTabs().some((tab) => tabProposalId(tab) === proposal.id)) {
            session.finish('reject', 'its diff editors were closed');
          }
        }),
      );

      void vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT_KEY, true);
      this.decisionsChanged();
      this.statusBar.show();
      this.log.info(
        `Reviewing proposal ${proposal.id} (node ${proposal.nodeId}, round ${proposal.round}): ${files.length} file(s), ${files.reduce((n, f) => n + f.hunks.length, 0)} hunk(s).`,
      );
      for (const note of proposal.notes ?? []) this.log.info(`Proposal ${proposal.id}: ${note}`);
      this.openDiff(first.path).catch((err: unknown) => {
        this.log.error(`Opening the diff of ${first.path} failed: ${String(err)}`);
        session.finish('reject', `its diff could not be opened (${String(err)})`);
      });
    });
  }

  async showFile(path?: string): Promise<void> {
    const session = this.activeSession();
    const chosen = path ?? (await this.pickFile(session));
    if (chosen === undefined) return;
    session.decisions.counts(chosen); // refuses a path outside the proposal, naming the ones it has
    await this.openDiff(chosen);
  }

  acceptHunk(path?: string, index?: number): void {
    this.decideHunk('accepted', path, index);
  }

  rejectHunk(path?: string, index?: number): void {
    this.decideHunk('rejected', path, index);
  }

  acceptFile(path?: string): void {
    const session = this.activeSession();
    session.decisions.setFile(path ?? this.pathInFocus(session), 'accepted');
  }

  rejectFile(path?: string): void {
    const session = this.activeSession();
    session.decisions.setFile(path ?? this.pathInFocus(session), 'rejected');
  }

  acceptAll(): void {
    this.activeSession().decisions.setAll('accepted');
  }

  /** Rejects the whole node: the review ends and nothing is applied. */
  rejectAll(): void {
    this.activeSession().finish('reject', 'the person rejected the node');
  }

  /**
   * Ends the review with the decisions so far. Undecided hunks are not applied; asked from the UI
   * (no argument) with some still undecided, the person confirms that first.
   */
  async apply(options?: { confirmUndecided?: boolean }): Promise<void> {
    const session = this.activeSession();
    const { pending, accepted } = session.decisions.counts();
    if (pending > 0 && options?.confirmUndecided !== false) {
      const leaveOut = `Apply ${accepted} accepted`;
      if (!(await askModal(`${pending} hunk(s) are still undecided and will not be applied.`, 'Accept them first to include them.', leaveOut))) return;
    }
    session.finish(session.decisions.toFileDecisions(), `applied with ${describeCounts(session.decisions.counts())}`);
  }

  dispose(): void {
    this.session?.finish('reject', 'Baton was deactivated');
    for (const disposable of this.registrations) disposable.dispose();
    this.documents.dispose();
    this.lenses.dispose();
    this.diagnostics.dispose();
    this.statusBar.dispose();
  }

  private decideHunk(decision: HunkDecision, path: string | undefined, index: number | undefined): void {
    const session = this.activeSession();
    if (path !== undefined && index !== undefined) {
      session.decisions.setHunk(path, index, decision);
      return;
    }
    const atCursor = this.hunkAtCursor(session);
    if (!atCursor) throw new Error("Put the cursor in a hunk of the Baton proposal's diff, or pass the file and the hunk number.");
    session.decisions.setHunk(atCursor.path, atCursor.index, decision);
  }

  private async openDiff(path: string): Promise<void> {
    const session = this.activeSession();
    session.currentPath = path;
    const { proposal, breakerReview } = session;
    const summary = breakerSummary(breakerReview);
    const title = `${path} (Baton proposal, round ${proposal.round})${summary ? ` – ${summary}` : ''}`;
    const original = proposalUri(proposal.id, 'original', path);
    const proposed = proposalUri(proposal.id, 'proposed', path);
    // Not a preview tab: moving to another file must not close this one (that reads as walking away).
    await vscode.commands.executeCommand('vscode.diff', original, proposed, title, { preview: false });
  }

  private async pickFile(session: ReviewSession): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(
      session.decisions.files.map((file) => ({
        label: labelText(file.path),
        path: file.path,
        description: session.proposal.changes.find((c) => c.path === file.path)?.before === undefined ? 'new file' : '',
        detail: `${file.hunks.length} hunk(s): ${describeCounts(session.decisions.counts(file.path))}`,
      })),
      { title: `Baton proposal, round ${session.proposal.round}: ${labelText(session.proposal.summary)}`, placeHolder: 'File to review' },
    );
    return picked?.path;
  }

  /** The file of the focused proposal document, else the one shown last. */
  private pathInFocus(session: ReviewSession): string {
    const address = focusedAddress(session.proposal.id);
    return address?.path ?? session.currentPath;
  }

  private hunkAtCursor(session: ReviewSession): { path: string; index: number } | undefined {
    const editor = vscode.window.activeTextEditor;
    const address = focusedAddress(session.proposal.id);
    const file = session.decisions.files.find((f) => f.path === address?.path);
    if (!editor || !address || !file) return undefined;
    const line = editor.selection.active.line + 1;
    const span = (hunk: Hunk): [number, number] =>
      address.side === 'proposed'
        ? [hunk.afterStart, hunk.afterStart + Math.max(hunk.afterLines, 1) - 1]
        : [hunk.beforeStart, hunk.beforeStart + Math.max(hunk.beforeLines, 1) - 1];
    const distance = (hunk: Hunk): number => {
      const [first, last] = span(hunk);
      return line < first ? first - line : line > last ? line - last : 0;
    };
    const nearest = [...file.hunks].sort((a, b) => distance(a) - distance(b))[0];
    return nearest && { path: file.path, index: nearest.index };
  }

  private activeSession(): ReviewSession {
    if (!this.session) throw new Error('No Baton proposal is under review.');
    return this.session;
  }

  private decisionsChanged(): void {
    this.lenses.refresh();
    const session = this.session;
    if (!session) return;
    this.statusBar.text = `$(git-compare) Baton review: ${describeCounts(session.decisions.counts())}`;
    this.statusBar.tooltip = `Proposal for node ${session.proposal.nodeId}, round ${session.proposal.round}: ${session.proposal.summary}\nClick to move between its files.`;
  }
}

function focusedAddress(proposalId: string): ReturnType<typeof parseProposalUri> {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const address = uri && parseProposalUri(uri);
  return address?.proposalId === proposalId ? address : undefined;
}

function openTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs);
}

function tabProposalId(tab: vscode.Tab): string | undefined {
  const input = tab.input;
  if (input instanceof vscode.TabInputTextDiff) return parseProposalUri(input.modified)?.proposalId;
  if (input instanceof vscode.TabInputText) return parseProposalUri(input.uri)?.proposalId;
  return undefined;
}

async function closeTabsOf(proposalId: string): Promise<void> {
  const tabs = openTabs().filter((tab) => tabProposalId(tab) === proposalId);
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
