// Baton's context engine as tools another agent calls: the same three tools over MCP (`baton mcp`)
// and, for plan_context, as a VS Code language-model tool. Their inputs and outputs are defined
// once here, with descriptions written for the model that decides whether and how to call them.
import * as z from 'zod';
import type { ContextLedger } from '../context/ledger';

const root = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe('The workspace folder to work in: its absolute path or its folder name. Leave it out when there is only one.');

const model = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe('The model that will read the result, e.g. "gpt-4o", "gpt-4.1", "claude-sonnet-4". Its tokenizer counts the tokens (unknown models: cl100k_base).');

const workspacePath = z.string().min(1).max(1024);
const lineRange = z.tuple([z.number().int(), z.number().int()]).describe('First and last line, 1-based, inclusive.');

export const PLAN_CONTEXT_DESCRIPTION =
  "Plans what a model should see for a coding task in this workspace, within a token budget: ranks the workspace's files for the task, " +
  'then packs whole files, excerpts or signature outlines until the budget is spent, and returns the packed context (a prompt ready to send) ' +
  'with its ledger: each item with its tier, line ranges, tokens and the reasons it was chosen, and what was left out and why (budget, ignored, ' +
  'secret, too large, ...). Ignored and secret files never appear; secrets inside shown files are redacted. Call it before starting a change, ' +
  'with the task in words (error messages, stack traces, file names and identifiers help the ranking), instead of reading files one by one.';

export const planContextInput = z.object({
  task: z.string().min(1).max(50_000).describe('The task, as you would give it to a developer: what to change or fix, with any error message or stack trace.'),
  budget: z
    .number()
    .int()
    .min(1000)
    .max(10_000_000)
    .describe('Tokens for the whole prompt, the answer reserve included (a tenth of the budget, at most 4096).'),
  model,
  pins: z.array(workspacePath).max(100).optional().describe('Workspace-relative paths ("src/app.ts") that must be included, whatever they score.'),
  drops: z.array(workspacePath).max(1000).optional().describe('Workspace-relative paths that must not be included.'),
  root,
});
export type PlanContextInput = z.infer<typeof planContextInput>;

/** In VS Code the budget may be left out: the baton.context.budget setting gives it (package.json repeats this schema). */
export const planContextEditorInput = planContextInput.extend({
  budget: planContextInput.shape.budget
    .optional()
    .describe('Tokens for the whole prompt, the answer reserve included. Default: the baton.context.budget setting.'),
  model: planContextInput.shape.model.describe(
    'The model that will read the result, e.g. "gpt-4o", "claude-sonnet-4": its tokenizer counts the tokens. Default: the baton.context.model setting.',
  ),
});

const reason = z.object({ signal: z.string(), detail: z.string(), weight: z.number() });
const ledgerItem = z.object({
  path: z.string(),
  tier: z.enum(['whole', 'snippet', 'outline']),
  ranges: z.array(lineRange).describe('Lines shown, as the file has them (secrets redacted).'),
  tokens: z.number().int(),
  score: z.number(),
  reasons: z.array(reason).describe('Why the file ranked where it did, strongest first.'),
  shown: z.string().describe('Why the file is shown whole, in excerpts or as an outline.'),
  notes: z.array(z.object({ range: lineRange, why: z.string() })).optional(),
  redacted: z.number().int().optional().describe('Secrets replaced by placeholders in the shown lines.'),
});
const ledger = z.object({
  budget: z.number().int(),
  encoding: z.string().describe('The tokenizer that counted.'),
  reserved: z.object({ instructions: z.number().int(), task: z.number().int(), answer: z.number().int() }),
  used: z.number().int().describe('Tokens of the whole prompt, exactly.'),
  items: z.array(ledgerItem),
  omitted: z
    .array(z.object({ path: z.string(), reason: z.string(), detail: z.string(), score: z.number().optional() }))
    .describe('What was left out: "budget" (ranked but did not fit), "dropped", or why the scan left it out (ignored, secret, binary, too-large, ...).'),
  redactedInTask: z.number().int().optional(),
});

export const planContextOutput = z.object({
  root: z.string().describe('The workspace folder planned in.'),
  prompt: z.string().describe('The packed context: instructions, the task and the chosen files, ready to send to the model.'),
  ledger,
  context: z.array(z.object({ path: z.string(), ranges: z.array(lineRange) })).describe('Lines shown verbatim, per file.'),
  ranking: z.array(z.string()).describe('Files by relevance to the task, best first.'),
});
/** As the schema says, with the ledger typed as the engine makes it. */
export type PlanContextOutput = Omit<z.infer<typeof planContextOutput>, 'ledger'> & { ledger: ContextLedger };

export const FIND_DEFINITIONS_DESCRIPTION =
  'Finds where names (functions, classes, methods, types, constants) are defined in this workspace: for each name, every file and line range ' +
  'of its definition with its signature line(s). Ignored and secret files are never searched. Use it to jump to code you need to read or change.';

export const findDefinitionsInput = z.object({
  names: z.array(z.string().min(1).max(200)).min(1).max(50).describe('Identifiers as written in code, e.g. ["parseLine", "Recipe"]. Case matters.'),
  root,
});
export type FindDefinitionsInput = z.infer<typeof findDefinitionsInput>;

const definitionSite = z.object({
  path: z.string(),
  range: lineRange,
  signature: z.string().describe('The first lines of the definition (secrets redacted).'),
});
export const findDefinitionsOutput = z.object({
  root: z.string(),
  results: z.array(
    z.object({
      name: z.string(),
      definitions: z.array(definitionSite).describe('Empty when the name is defined nowhere Baton indexes.'),
      more: z.number().int().optional().describe('Definitions beyond those listed.'),
    }),
  ),
});
export type FindDefinitionsOutput = z.infer<typeof findDefinitionsOutput>;

export const OUTLINE_DESCRIPTION =
  "Outlines files of this workspace: each definition's signature with its line range, in file order, within a token cap; cheaper than " +
  'reading the files. Paths outside the workspace, ignored and secret files are refused with the reason.';

export const outlineInput = z.object({
  paths: z.array(workspacePath).min(1).max(50).describe('Workspace-relative paths, e.g. ["src/app.ts"].'),
  maxTokens: z
    .number()
    .int()
    .min(100)
    .max(100_000)
    .optional()
    .describe('Cap on the tokens of all outlines together (default 2000); what does not fit is cut and marked.'),
  model,
  root,
});
export type OutlineInput = z.infer<typeof outlineInput>;

export const outlineOutput = z.object({
  root: z.string(),
  encoding: z.string(),
  tokens: z.number().int().describe('Tokens of the outline text, counted with the encoding.'),
  maxTokens: z.number().int(),
  files: z.array(
    z.object({
      path: z.string(),
      definitions: z.array(z.object({ name: z.string(), range: lineRange, signature: z.string() })),
      cut: z.number().int().optional().describe('Definitions left out for the token cap.'),
      refused: z.string().optional().describe('Why this path has no outline.'),
    }),
  ),
});
export type OutlineOutput = z.infer<typeof outlineOutput>;
