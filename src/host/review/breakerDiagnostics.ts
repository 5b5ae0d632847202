import * as vscode from 'vscode';
import type { Finding, Proposal, Review, Severity } from '../../core/proposals/types';
import { proposalUri } from './proposalDocuments';
import { plainText } from '../../core/security/untrustedText';

// The breaker's findings where the person reads the change: as diagnostics on the proposed side of
// the diff (squiggle, hover, Problems panel), so they are weighed hunk by hunk, not in a separate log.
// The model wrote them: they are shown as inert text.

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  critical: vscode.DiagnosticSeverity.Error,
  major: vscode.DiagnosticSeverity.Warning,
  minor: vscode.DiagnosticSeverity.Information,
};

export const BREAKER_SOURCE = 'Baton breaker';

export function findingMessage(finding: Finding): string {
  return `${finding.problem} Edge case: ${finding.edgeCase}`;
}

/** Diagnostics per proposed document. A finding on a file outside the proposal goes on the first file, naming its own. */
export function breakerDiagnostics(proposal: Proposal, review: Review | undefined): Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }> {
  const byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  const first = proposal.changes[0];
  if (!review || !first) return byUri;
  for (const finding of review.findings) {
    const change = proposal.changes.find((c) => c.path === finding.file);
    const target = change ?? first;
    const lines = target.after.split('\n');
    const line = change && finding.line !== null ? Math.min(Math.max(finding.line - 1, 0), lines.length - 1) : 0;
    const length = (lines[line] ?? '').replace(/\r$/, '').length;
    const message = plainText(change ? findingMessage(finding) : `${finding.file}: ${findingMessage(finding)}`);
    const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Math.max(length, 1)), message, SEVERITY[finding.severity]);
    diagnostic.source = BREAKER_SOURCE;
    diagnostic.code = finding.severity;
    const uri = proposalUri(proposal.id, 'proposed', target.path);
    const entry = byUri.get(uri.toString()) ?? { uri, diagnostics: [] };
    entry.diagnostics.push(diagnostic);
    byUri.set(uri.toString(), entry);
  }
  return byUri;
}

/** "breaker: fail, 1 critical, 2 minor" for the diff title; '' when there was no breaker review. */
export function breakerSummary(review: Review | undefined): string {
  if (!review) return '';
  const counts = (['critical', 'major', 'minor'] as const)
    .map((severity) => [severity, review.findings.filter((f) => f.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  return `breaker: ${review.verdict}${counts.length ? `, ${counts.join(', ')}` : ''}`;
}
