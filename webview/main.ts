import { HostToWebview, type PlanView, type WebviewToHost } from '../src/protocol';
import { renderPlan } from './planView';
import { injectStyles } from './styles';
import { button, progressRing, registerToolkit } from './toolkit';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
registerToolkit();
injectStyles();

const root = document.getElementById('root')!;

// Everything the sidebar shows comes from the host; it re-sends it when the view is shown again.
const model: {
  state: Extract<HostToWebview, { type: 'state' }> | null;
  planning: string | null;
  plan: PlanView | null;
} = { state: null, planning: null, plan: null };

function render(): void {
  root.replaceChildren();
  if (!model.state) return;
  const showPlan = button('Show Context Plan', () => vscode.postMessage({ type: 'showContextPlan' }));
  if (!model.plan && model.planning === null) {
    const heading = document.createElement('p');
    heading.textContent = model.state.workspaceName
      ? `No tasks yet in ${model.state.workspaceName}.`
      : 'Open a folder to plan context for a task.';
    root.append(heading, showPlan);
    return;
  }
  root.append(showPlan);
  if (model.planning !== null) {
    const note = document.createElement('div');
    note.className = 'planning';
    const text = document.createElement('span');
    text.textContent = `Planning context for: ${model.planning}`;
    note.append(progressRing('Planning context'), text);
    root.append(note);
  }
  if (model.plan) root.append(renderPlan(model.plan, (path) => vscode.postMessage({ type: 'openItem', path })));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostToWebview.safeParse(event.data);
  if (!parsed.success) return; // the host is the only sender; anything else is dropped
  const message = parsed.data;
  switch (message.type) {
    case 'state':
      model.state = message;
      break;
    case 'planning':
      model.planning = message.task;
      break;
    case 'plan':
      model.plan = message.plan;
      model.planning = null;
      break;
  }
  render();
});

vscode.postMessage({ type: 'ready' });
