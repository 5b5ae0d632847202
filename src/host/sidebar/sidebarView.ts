import * as vscode from 'vscode';
import { HostToWebview, WebviewToHost, type PlanView } from '../../protocol';
import { COMMANDS, SIDEBAR_VIEW_ID } from '../commandIds';
import { notifyError } from '../notifications';

/** Messages about the task tree, ledger, timeline and roles: handled by the task side (src/host/sidebar/). */
export type TaskMessage = Extract<
  WebviewToHost,
  {
    type:
      | 'selectNode'
      | 'setItemChoice'
      | 'setBudget'
      | 'restoreCheckpoint'
      | 'compareCheckpoint'
      | 'selectModelForRole'
      | 'testRoleConnection'
      | 'newTask'
      | 'nodeAction'
      | 'answerDecision';
  }
>;

export interface TaskMessageHandler {
  /** The webview (re)started: send it everything again. */
  ready(selectedNodeId: string | null): void;
  receive(message: TaskMessage): void;
}

/** A plan shown in the sidebar, with the folder its paths are relative to. */
export interface ShownPlan {
  folder: vscode.Uri;
  view: PlanView;
}

/**
 * The Baton sidebar: a webview view whose HTML, CSP and messages are set up here. The webview is
 * not kept alive while hidden: it asks for its state again ('ready') and gets the last plan back.
 */
export class SidebarViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = SIDEBAR_VIEW_ID;
  private view: vscode.WebviewView | undefined;
  private shown: ShownPlan | undefined;
  private planningTask: string | null = null;
  private taskHandler: TaskMessageHandler | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = renderHtml(view.webview, dist);
    view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw));
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  showPlan(plan: ShownPlan): void {
    this.shown = plan;
    this.planningTask = null;
    this.post({ type: 'plan', plan: plan.view });
  }

  setTaskHandler(handler: TaskMessageHandler): void {
    this.taskHandler = handler;
  }

  /** Sends a message if the view is open; a hidden view asks for everything again when shown. */
  send(message: HostToWebview): void {
    this.post(message);
  }

  setPlanning(task: string | null): void {
    this.planningTask = task;
    this.post({ type: 'planning', task });
  }

  private receive(raw: unknown): void {
    const parsed = WebviewToHost.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Ignored a sidebar message of the wrong shape: ${parsed.error.message}`);
      return;
    }
    switch (parsed.data.type) {
      case 'ready':
        this.post({
          type: 'state',
          workspaceName: vscode.workspace.name ?? null,
          version: String(vscode.extensions.getExtension('baton-dev.baton')?.packageJSON.version ?? ''),
        });
        if (this.shown) this.post({ type: 'plan', plan: this.shown.view });
        if (this.planningTask !== null) this.post({ type: 'planning', task: this.planningTask });
        this.taskHandler?.ready(parsed.data.selectedNodeId ?? null);
        break;
      case 'showContextPlan':
        void vscode.commands.executeCommand(COMMANDS.showContextPlan);
        break;
      case 'openItem':
        void this.openItem(parsed.data.path);
        break;
      default:
        this.taskHandler?.receive(parsed.data);
    }
  }

  /** Opens a file of the plan shown at its first range; any other path is refused. */
  private async openItem(path: string): Promise<void> {
    const item = this.shown?.view.items.find((it) => it.path === path);
    if (!this.shown || !item) {
      this.log.warn(`Ignored a request to open ${JSON.stringify(path)}: it is not an item of the plan shown.`);
      return;
    }
    const uri = vscode.Uri.joinPath(this.shown.folder, ...path.split('/'));
    const [start, end] = item.ranges[0] ?? [1, 1];
    try {
      const editor = await vscode.window.showTextDocument(uri, {
        selection: new vscode.Range(start - 1, 0, start - 1, 0),
        preview: true,
      });
      editor.revealRange(new vscode.Range(start - 1, 0, end - 1, 0), vscode.TextEditorRevealType.AtTop);
    } catch (err) {
      const message = `Baton could not open ${path}: ${err instanceof Error ? err.message : String(err)}`;
      this.log.error(message);
      void notifyError(message);
    }
  }

  private post(message: HostToWebview): void {
    // Checked on the way out too: a message the webview would drop is a bug here, so say so.
    const checked = HostToWebview.safeParse(message);
    if (!checked.success) {
      this.log.error(`Did not send a ${message.type} message of the wrong shape to the sidebar: ${checked.error.message}`);
      // Never silently: the sidebar says what it could not show.
      const issue = checked.error.issues[0];
      const text = `Baton could not show the ${message.type} update (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'wrong shape'}); the Baton log has the details.`;
      if (message.type !== 'notice') void this.view?.webview.postMessage({ type: 'notice', level: 'error', text: text.slice(0, 5000), nodeId: null });
      return;
    }
    void this.view?.webview.postMessage(checked.data);
  }
}

function renderHtml(webview: vscode.Webview, dist: vscode.Uri): string {
  const nonce = randomNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  // The one script, by nonce, and nothing else: the page's styles and the components' are
  // constructed stylesheets (not governed by style-src), and no font, image or connection is used.
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Baton</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}
