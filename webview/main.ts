import { HostToWebview, type WebviewToHost } from '../src/protocol';
import { button, registerToolkit } from './toolkit';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
registerToolkit();

const root = document.getElementById('root')!;

function render(state: Extract<HostToWebview, { type: 'state' }>): void {
  root.replaceChildren();
  const heading = document.createElement('p');
  heading.textContent = state.workspaceName
    ? `No tasks yet in ${state.workspaceName}.`
    : 'Open a folder to plan context for a task.';
  root.append(heading, button('Show Context Plan', () => vscode.postMessage({ type: 'showContextPlan' })));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostToWebview.safeParse(event.data);
  if (!parsed.success) return; // the host is the only sender; anything else is dropped
  if (parsed.data.type === 'state') render(parsed.data);
});

vscode.postMessage({ type: 'ready' });
