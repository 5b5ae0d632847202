// Every message between the extension host and the sidebar webview, defined once.
// Both sides validate what arrives with these schemas: a webview is untrusted input, and the plan
// it shows carries workspace text (paths, reasons) that is rendered as text only.
import { z } from 'zod';

const count = z.number().int().nonnegative();
// Workspace-relative, '/'-separated; never absolute, never climbing out of the folder.
const relativePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split('/').includes('..'), 'not a workspace-relative path');
const lineRange = z.tuple([z.number().int().positive(), z.number().int().positive()]);

/** One item of the ledger as the sidebar shows it: the reasons are the strongest few. */
export const PlanItemView = z.object({
  path: relativePath,
  tier: z.enum(['whole', 'snippet', 'outline']),
  ranges: z.array(lineRange).max(1000),
  tokens: count,
  score: z.number(),
  reasons: z.array(z.object({ signal: z.string().max(40), detail: z.string().max(500) })).max(5),
});
export type PlanItemView = z.infer<typeof PlanItemView>;

/** A context plan, summarised for the sidebar (the full prompt stays in the host). */
export const PlanView = z.object({
  task: z.string().max(20000),
  folderName: z.string().max(500),
  budget: count,
  used: count,
  encoding: z.string().max(40),
  reserved: z.object({ instructions: count, task: count, answer: count }),
  items: z.array(PlanItemView).max(500),
  /** How many paths were left out, per reason ('budget', 'ignored', 'too-large', ...). */
  omittedByReason: z.record(z.string().max(40), count),
  /** The best-ranked files cut for the budget, best first (a few). */
  budgetCut: z.array(z.object({ path: relativePath, score: z.number(), detail: z.string().max(500) })).max(20),
  timings: z.object({ indexMs: z.number(), rankMs: z.number(), packMs: z.number() }),
});
export type PlanView = z.infer<typeof PlanView>;

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('showContextPlan') }),
  /** Open an item of the plan shown at its first line range; the host checks it is one. */
  z.object({ type: z.literal('openItem'), path: relativePath }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

export const HostToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), workspaceName: z.string().nullable(), version: z.string() }),
  /** A plan is being made for this task (null: no longer, finished, failed or cancelled). */
  z.object({ type: z.literal('planning'), task: z.string().max(20000).nullable() }),
  z.object({ type: z.literal('plan'), plan: PlanView }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;
