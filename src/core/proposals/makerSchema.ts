// The maker's answer, as a model must give it: a summary and a list of edits, each either a
// search/replace block in an existing file or the whole content of a new file. (No deletions: a
// FileChange always has an `after` text; removing a file stays with the person.) The
// shapes keep every field required (no `.optional()`) so OpenAI's strict structured output accepts
// the schema, and use a plain union (JSON Schema `anyOf`): strict mode rejects the `oneOf` zod emits
// for a discriminated union. The text fields are JSON strings, so content holding ``` is data,
// never markdown.
import * as z from 'zod';
import { workspacePathProblem } from '../security/workspacePath';

const WorkspacePathSchema = z
  .string()
  .describe("workspace-relative path with '/' separators, e.g. src/cart.ts")
  .superRefine((path, ctx) => {
    const problem = workspacePathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(path)} is not usable: ${problem}` });
  });

export const ReplaceEditSchema = z.object({
  kind: z.literal('replace'),
  path: WorkspacePathSchema,
  search: z
    .string()
    .min(1, 'search must not be empty: copy the exact lines to change from the file')
    .describe('exact text of the file as shown, including indentation; it must occur exactly once in the file'),
  replace: z.string().describe('the text that takes the place of search (empty to remove it)'),
});

export const CreateEditSchema = z.object({
  kind: z.literal('create'),
  path: WorkspacePathSchema,
  content: z.string().describe("the new file's whole content"),
});

const EDIT_KINDS = ['replace', 'create'] as const;

export const EditSchema = z.union([ReplaceEditSchema, CreateEditSchema], {
  // A plain union's own message is "Invalid input"; a model re-asked with that cannot tell what to
  // fix, so name the problems of the branch its `kind` chose, or the kinds there are.
  error: (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    if (typeof issue.input !== 'object' || issue.input === null) return `each edit must be an object with a kind ("replace" or "create") and a path`;
    const kind = (issue.input as { kind?: unknown }).kind;
    const branch = EDIT_KINDS.findIndex((known) => known === kind);
    const branchIssues = branch >= 0 ? issue.errors[branch] : undefined;
    if (!branchIssues || branchIssues.length === 0) {
      return `kind must be one of ${EDIT_KINDS.map((known) => `"${known}"`).join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`;
    }
    const details = branchIssues.map((inner) => `${inner.path.length ? `${inner.path.join('.')}: ` : ''}${inner.message}`);
    return `this "${String(kind)}" edit is not valid (${details.join('; ')})`;
  },
});

export const MakerAnswerSchema = z.object({
  summary: z.string().trim().min(1).describe('what the change does, in a sentence or two'),
  edits: z.array(EditSchema).describe('replace blocks for existing files, one create per new file'),
});

export type ReplaceEdit = z.infer<typeof ReplaceEditSchema>;
export type CreateEdit = z.infer<typeof CreateEditSchema>;
export type Edit = z.infer<typeof EditSchema>;
export type MakerAnswer = z.infer<typeof MakerAnswerSchema>;
