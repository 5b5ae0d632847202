import { createTwoFilesPatch } from 'diff';
import type { Proposal } from './types';

/** A proposal as a unified diff, the way a reviewer (a model or a person) reads a change. */
export function renderProposalDiff(proposal: Proposal): string {
  return proposal.changes
    .map((c) => createTwoFilesPatch(c.before === undefined ? '/dev/null' : `a/${c.path}`, `b/${c.path}`, c.before ?? '', c.after, '', '', { context: 3 }))
    .join('\n');
}
