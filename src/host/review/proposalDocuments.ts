import * as vscode from 'vscode';
import type { FileChange, Proposal } from '../../core/proposals/types';

// The two sides of a proposed change as read-only virtual documents, so the diff editor can show
// them without anything touching disk. The file's path is the URI's path (the editor picks the
// language from its extension); the proposal and the side travel in the query.

export const PROPOSAL_SCHEME = 'baton-proposal';

export type ProposalSide = 'original' | 'proposed';

export interface ProposalAddress {
  proposalId: string;
  side: ProposalSide;
  path: string;
}

export function proposalUri(proposalId: string, side: ProposalSide, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${path}`, query: new URLSearchParams({ proposal: proposalId, side }).toString() });
}

export function parseProposalUri(uri: vscode.Uri): ProposalAddress | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
  const query = new URLSearchParams(uri.query);
  const proposalId = query.get('proposal');
  const side = query.get('side');
  if (proposalId === null || (side !== 'original' && side !== 'proposed')) return undefined;
  return { proposalId, side, path: uri.path.replace(/^\//, '') };
}

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  // The proposed side shows the maker's text as proposed; decisions show as CodeLenses, so
  // neither side ever needs re-rendering.
  private readonly proposals = new Map<string, Proposal>();

  /** Serves the proposal's documents until the returned disposable is disposed. */
  serve(proposal: Proposal): vscode.Disposable {
    this.proposals.set(proposal.id, proposal);
    return new vscode.Disposable(() => this.proposals.delete(proposal.id));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const address = parseProposalUri(uri);
    if (!address) return '';
    const change = this.change(address);
    // A document reopened after its review ended (e.g. from history) says so instead of showing stale text.
    if (!change) return `This Baton proposal (${address.proposalId}) is no longer under review.\n`;
    return address.side === 'original' ? (change.before ?? '') : change.after;
  }

  change(address: ProposalAddress): FileChange | undefined {
    return this.proposals.get(address.proposalId)?.changes.find((c) => c.path === address.path);
  }

  dispose(): void {
    this.proposals.clear();
  }
}
