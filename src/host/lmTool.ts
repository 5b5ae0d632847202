import * as vscode from 'vscode';

export const PLAN_CONTEXT_TOOL = 'baton_plan_context';

/**
 * Registers Baton's plan_context tool with VS Code at activation; the tool itself (its schema, the
 * engines) is made on the first call (planContextTool.ts).
 */
export function registerPlanContextTool(tool: () => Promise<vscode.LanguageModelTool<unknown>>): vscode.Disposable {
  return vscode.lm.registerTool<unknown>(PLAN_CONTEXT_TOOL, {
    prepareInvocation: async (options, token) => (await tool()).prepareInvocation?.(options, token),
    invoke: async (options, token) => (await tool()).invoke(options, token),
  });
}
