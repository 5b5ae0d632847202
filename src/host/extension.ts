import * as vscode from 'vscode';
import type { BatonServices } from './batonServices';
import { SIDEBAR_VIEW_ID } from './commandIds';
import { registerCommands } from './commands/registerCommands';
import { registerDocumentsOnFirstUse } from './documentSchemes';
import { EditorSignalTracker } from './editorSignals';
import { registerPlanContextTool } from './lmTool';
import { registerMcpServerDefinition } from './mcpServerDefinition';
import { notifyError } from './notifications';
import { onFirstUse } from './onFirstUse';
import { registerQuestionDocuments } from './questionDocuments';

/** What the extension hands to other code in the same host (the in-editor tests). */
export interface BatonExtensionApi {
  /** Baton's services in this window: the first call (or the sidebar, a command, the tool) makes them. */
  services(): Promise<BatonServices>;
}

const NOT_STARTED_HTML =
  '<!doctype html><p>Baton could not start in this window: "Baton: Show Log" says why. Reload the window to try again; if it fails again, reinstall Baton.</p>';

/**
 * Activation registers what VS Code must know of (the sidebar, the commands, the language-model
 * tool, the MCP server, the read-only documents) and starts watching the editor; the services
 * behind them (batonServices.ts, with the task tree, the stores and the message schemas) load when
 * the first of them is used.
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
      void notifyError(`Baton could not start: ${(err as Error).message}`, 'Show Log').then((choice) => choice && log.show());
      throw err;
    }
  });
  context.subscriptions.push(
    log,
    signals,
    vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, {
      resolveWebviewView: async (view, _context, token) => {
        const made = await services().catch(() => undefined);
        if (token.isCancellationRequested) return;
        if (made) made.sidebar.resolveWebviewView(view);
        else view.webview.html = NOT_STARTED_HTML;
      },
    }),
    registerCommands(async () => (await services()).commands),
    registerPlanContextTool(async () => (await services()).planContextTool),
    registerDocumentsOnFirstUse(async () => (await services()).documents),
    registerQuestionDocuments(),
    registerMcpServerDefinition(context),
  );
  return { services };
}

export function deactivate(): void {}
