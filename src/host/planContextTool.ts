import * as vscode from 'vscode';
import { planContextEditorInput } from '../core/agentTools/toolSchemas';
import { chooseRoot, workspaceRoot } from '../core/agentTools/workspaceRoots';
import { labelText } from '../core/security/untrustedText';
import type { ContextEngines } from './contextEngines';
import type { ContextSettingsReader } from './settings';

// The task is quoted in the chat's progress line: long enough to recognise, short enough for one line.
const QUOTED_TASK_CHARS = 120;

/**
 * Baton's context plan as a language-model tool (package.json `languageModelTools`, registered by
 * lmTool.ts), for Copilot's agent mode and any chat participant: the same plan as plan_context over
 * MCP, on the editor's own engines (kept warm, re-indexed on change), with the budget and model from
 * the settings unless the call gives them.
 */
export function planContextTool(engines: ContextEngines, settings: ContextSettingsReader): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation(options) {
      const parsed = planContextEditorInput.safeParse(options.input);
      if (!parsed.success) return { invocationMessage: 'Planning context (the request is malformed and will be refused)' };
      const { task, budget, pins } = parsed.data;
      const quoted = task.length > QUOTED_TASK_CHARS ? `${task.slice(0, QUOTED_TASK_CHARS)}…` : task;
      const within = budget ? `${budget} tokens` : 'the baton.context.budget setting';
      const pinned = pins?.length ? `, pinning ${pins.join(', ')}` : '';
      // Plain text: the task and paths come from a model and the workspace (no links, no icons).
      return { invocationMessage: labelText(`Planning context within ${within} for: ${quoted}${pinned}`) };
    },

    async invoke(options) {
      const parsed = planContextEditorInput.safeParse(options.input);
      if (!parsed.success)
        throw new Error(`Baton's plan_context input is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}.`);
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
      // A refusal (a root outside the workspace, a pin of an ignored file, a budget too small) is
      // thrown with a message naming what to give instead: the model reads it and can correct its call.
      const roots = folders.map((f) => workspaceRoot(f.uri.fsPath));
      const root = chooseRoot(roots, parsed.data.root);
      const folder = folders[roots.indexOf(root)]!;
      const defaults = settings.read(folder.uri);
      const { engine } = await engines.get(folder.uri, defaults.maxFileBytes);
      const input = { ...parsed.data, budget: parsed.data.budget ?? defaults.budget, model: parsed.data.model ?? defaults.model };
      const { planContextForTool, planContextText } = await import('../core/agentTools/planContextTool');
      const output = await planContextForTool(engine, root, input);
      return new vscode.LanguageModelToolResult(planContextText(output).map((text) => new vscode.LanguageModelTextPart(text)));
    },
  };
}
