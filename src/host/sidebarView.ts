import * as vscode from 'vscode';
import { HostToWebview, WebviewToHost } from '../protocol';

/** The Baton sidebar: a webview view whose HTML, CSP and messages are set up here. */
export class SidebarViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'baton.sidebar';
  private view: vscode.WebviewView | undefined;

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
        break;
      case 'showContextPlan':
        void vscode.commands.executeCommand('baton.showContextPlan');
        break;
    }
  }

  private post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }
}

function renderHtml(webview: vscode.Webview, dist: vscode.Uri): string {
  const nonce = randomNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
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
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}
