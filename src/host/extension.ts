import * as vscode from 'vscode';
import type { BatonServices } from './batonServices';
import { SIDEBAR_VIEW_ID } from './commandIds';
import { registerCommands } from './commands/registerCommands';
import { EditorSignalTracker } from './editorSignals';
import { registerPlanContextTool } from './lmTool';
import { registerMcpServerDefinition } from './mcpServerDefinition';
import { onFirstUse } from './onFirstUse';

/** What the extension hands to other code in the same host (the in-editor tests, the delegation flow). */
export interface BatonExtensionApi {
  /** Baton's services in this window: the first call (or the sidebar, a command, the tool) makes them. */
  services(): Promise<BatonServices>;
}

/**
 * Activation registers what VS Code must know of (the sidebar, the commands, the language-model
 * tool, the MCP server) and starts watching the editor; the services behind them (batonServices.ts,
 * with the task tree, the stores and the message schemas) load when the first of them is used.
 */
export function activate(context: vscode.ExtensionContext): BatonExtensionApi {
  const log = vscode.window.createOutputChannel('Baton', { log: true });
  // From activation on, so the first plan already knows which files were open and edited.
  const signals = new EditorSignalTracker();
  const services = onFirstUse(async () => {
    try {
      return (await import('./batonServices')).startServices({ context, log, signals });
    } catch (err) {
      log.error(`Baton could not start: ${(err as Error).stack ?? String(err)}`);
      throw err;
    }
  });
  context.subscriptions.push(
    log,
    signals,
    vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, {
      resolveWebviewView: async (view) => (await services()).sidebar.resolveWebviewView(view),
    }),
    registerCommands(async () => (await services()).commands),
    registerPlanContextTool(async () => (await services()).planContextTool),
    registerMcpServerDefinition(context),
  );
  return { services };
}

export function deactivate(): void {}
