// A proposal waiting for the person's review outside the editor: the command line writes it as a
// patch and stops, and a later command accepts some of its hunks (or rejects it) and resumes the
// run. Kept in `.baton/review/`, one file per node, signed like checkpoint manifests: `.baton/` can
// come with the repository, and a proposal Baton did not write here is never applied.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { SigningKey, StateStore } from '../ports';
import { isValidStateSignature, stateSignature } from '../security/stateSignature';
import { ReviewSchema } from '../verify/breaker';
import type { ReviewedRound } from './nodeRun';

const PURPOSE = 'baton pending review';
const FOLDER = 'review/';
const VERSION = 1;

const ProposalSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  round: z.number().int().positive(),
  summary: z.string(),
  changes: z.array(
    z
      .object({ path: z.string(), before: z.string().optional(), after: z.string(), baseHash: z.string() })
      // JSON has no undefined: a file the proposal creates is stored without `before`.
      .transform(({ path, before, after, baseHash }) => ({ path, before, after, baseHash })),
  ),
});

const RoundSchema = z.object({ proposal: ProposalSchema, review: ReviewSchema.optional(), tests: z.string().optional() });

const PendingReviewSchema = z.object({
  version: z.literal(VERSION),
  nodeId: z.string(),
  createdAt: z.number(),
  round: z.number().int().positive(),
  proposal: ProposalSchema,
  review: ReviewSchema.optional(),
  earlier: z.array(RoundSchema),
});

/** A deferred review: everything the run needs to go on once the person decides. */
export type PendingReview = Omit<ReviewedRound, 'decisions'> & { nodeId: string; createdAt: number };

/** A file in `.baton/review/` that is not one of Baton's own pending reviews, and why. */
export interface ForeignReview {
  path: string;
  reason: string;
}

export class PendingReviews {
  constructor(
    private readonly state: StateStore,
    private readonly key: SigningKey,
  ) {}

  async save(pending: PendingReview): Promise<void> {
    const body = JSON.stringify({ version: VERSION, ...pending });
    const signature = stateSignature(PURPOSE, body, await this.key.get());
    await this.state.write(fileOf(pending.nodeId), new TextEncoder().encode(`${JSON.stringify({ body, signature })}\n`));
  }

  /** Baton's own pending reviews, oldest first, and every other file there with the reason it is ignored. */
  async list(): Promise<{ own: PendingReview[]; foreign: ForeignReview[] }> {
    const key = await this.key.get();
    const own: PendingReview[] = [];
    const foreign: ForeignReview[] = [];
    for (const path of await this.state.list(FOLDER)) {
      const bytes = await this.state.read(path);
      if (bytes === undefined) continue;
      const read = decode(bytes, key);
      if ('reason' in read) foreign.push({ path: `.baton/${path}`, reason: read.reason });
      else if (fileOf(read.pending.nodeId) !== path)
        foreign.push({ path: `.baton/${path}`, reason: `it names node ${read.pending.nodeId}, whose review is kept elsewhere` });
      else own.push(read.pending);
    }
    return { own: own.sort((a, b) => a.createdAt - b.createdAt), foreign };
  }

  async remove(nodeId: string): Promise<void> {
    await this.state.delete(fileOf(nodeId));
  }
}

/** Named by a hash: a node id from a shipped tree.json never shapes a path. */
function fileOf(nodeId: string): string {
  return `${FOLDER}${createHash('sha256').update(nodeId).digest('hex').slice(0, 32)}.json`;
}

function decode(bytes: Uint8Array, key: Uint8Array): { pending: PendingReview } | { reason: string } {
  let stored: unknown;
  try {
    stored = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { reason: 'it is not UTF-8 JSON' };
  }
  const { body, signature } = (typeof stored === 'object' && stored !== null ? stored : {}) as { body?: unknown; signature?: unknown };
  if (typeof body !== 'string') return { reason: 'it is not a pending review Baton wrote' };
  if (!isValidStateSignature(PURPOSE, body, signature, key)) {
    return {
      reason: `${signature === undefined ? 'it has no signature' : 'its signature does not match'}: it was not written by Baton on this machine for this folder`,
    };
  }
  const parsed = PendingReviewSchema.safeParse(JSON.parse(body));
  if (!parsed.success) return { reason: `this Baton cannot read it (${parsed.error.issues[0]?.message ?? 'unknown shape'})` };
  const { version: _version, ...pending } = parsed.data;
  return { pending };
}
