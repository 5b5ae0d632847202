import { HostToWebview, type NodeAction, type NodeLedgerView, type PlanView, type TasksView, type WebviewToHost } from '../src/protocol';
import { renderActivity, stepWords, type Activity } from './activityView';
import { el } from './dom';
import { renderLedger } from './ledgerView';
import { renderNodeActions } from './nodeActionsView';
import { renderPlan } from './planView';
import { renderRoles } from './rolesView';
import { injectStyles } from './styles';
import { TaskTreeView } from './taskTree';
import { renderTimeline } from './timelineView';
import { button, progressRing } from './components';
import { loadViewState, type StateApi } from './viewState';

interface VsCodeApi extends StateApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
injectStyles();

const root = document.getElementById('root')!;
// Each part is redrawn on its own, so a new ledger does not take focus out of the tree.
const header = el('div', 'header');
const notice = el('div', 'notices');
notice.setAttribute('role', 'status');
const activityPart = el('div', 'activity-part');
const tasksPart = el('div', 'tasks');
// The tree element stays in the page across updates, so the item with focus keeps it.
const treeError = el('div', 'tree-error');
const tasksNotes = el('div', 'tasks-notes');
const tasksHeading = el('h2', '', 'Tasks');
tasksPart.append(treeError, tasksNotes, tasksHeading);
// The selected node's actions, then one ledger at a time: the node's, or the plan for a typed task.
const actionsPart = el('div', 'node-actions-part');
const ledgerPart = el('div', 'ledger-part');
const timelinePart = el('div', 'timeline-part');
const rolesPart = el('div', 'roles-part');
root.append(header, notice, activityPart, tasksPart, actionsPart, ledgerPart, timelinePart, rolesPart);

const viewState = loadViewState(vscode);
const saveViewState = (): void => vscode.setState(viewState);

// Everything the sidebar shows comes from the host; it re-sends it when the view is shown again.
const model: {
  state: Extract<HostToWebview, { type: 'state' }> | null;
  planning: string | null;
  plan: PlanView | null;
  tasks: TasksView | null;
  ledger: NodeLedgerView | null;
  ledgerPlanning: string | null;
  activity: Activity;
  /** The notice's action, while the notice stands: once it is done (the parent's split is fixed), the notice goes. */
  noticeFix: NoticeFix | null;
} = { state: null, planning: null, plan: null, tasks: null, ledger: null, ledgerPlanning: null, activity: { running: null, decisions: [] }, noticeFix: null };

/** What the person asks of the host: a notice (a refusal's banner too) is about what was asked before, so it goes. */
function send(message: WebviewToHost): void {
  clearNotice();
  vscode.postMessage(message);
}

function act(nodeId: string, action: NodeAction): void {
  if (action === 'showLedger') {
    viewState.selectedId = nodeId;
    saveViewState();
    show('node');
    ledgerPart.scrollIntoView({ block: 'start' });
  }
  send({ type: 'nodeAction', nodeId, action });
}

/** Which ledger shows: the one asked for last (a typed task's plan, or a node selected). */
function show(which: 'plan' | 'node'): void {
  viewState.ledger = which;
  saveViewState();
  renderLedgerPart();
}

const tree = new TaskTreeView({
  select: (nodeId) => {
    viewState.selectedId = nodeId;
    saveViewState();
    show('node');
    send({ type: 'selectNode', nodeId });
  },
  setCollapsed: (nodeId, collapsed) => {
    viewState.collapsed = collapsed ? [...new Set([...viewState.collapsed, nodeId])] : viewState.collapsed.filter((id) => id !== nodeId);
    saveViewState();
  },
});

function renderHeader(): void {
  header.replaceChildren();
  if (!model.state) return;
  const folder = model.state.workspaceName;
  // No tasks yet (a context plan shown or not): the sidebar starts one; with tasks, New Task is in the view's title bar.
  const noTasks = !!folder && !!model.tasks && !model.tasks.nodes.length && !model.tasks.treeError;
  if (!folder) header.append(el('p', '', 'Open a folder to plan context for a task.'));
  else if (noTasks) header.append(el('p', '', `No tasks yet in ${folder}. State one: Baton splits it into subtasks with budgets.`));
  const actions = el('div', 'actions');
  if (noTasks) actions.append(button('New Task', () => send({ type: 'newTask' }), { data: { action: 'new-task' } }));
  actions.append(button('Show Context Plan', () => send({ type: 'showContextPlan' }), { secondary: noTasks }));
  header.append(actions);
  if (model.planning !== null) {
    const note = el('div', 'planning');
    note.append(progressRing('Planning context'), el('span', '', `Planning context for: ${model.planning}`));
    header.append(note);
  }
}

function renderTasks(): void {
  const tasks = model.tasks;
  if (!tasks) return;
  const fix = model.noticeFix;
  if (fix?.action === 'editSplit' && tasks.nodes.find((n) => n.id === fix.nodeId)?.split === 'fixed') clearNotice();
  treeError.replaceChildren(...(tasks.treeError ? [el('p', 'notice error', tasks.treeError)] : []));
  tasksNotes.replaceChildren(...tasks.notes.map((text) => el('p', 'notice', text)));
  tasksHeading.hidden = !tasks.nodes.length;
  tree.element.hidden = !tasks.nodes.length;
  if (!tree.element.isConnected) tasksPart.append(tree.element);
  const { running, decisions } = model.activity;
  tree.render(tasks.nodes, tasks.selectedId, new Set(viewState.collapsed), {
    runningId: running?.nodeId ?? null,
    step: running ? stepWords(running) : null,
    waiting: new Set(decisions.flatMap((d) => (d.nodeId === null ? [] : [d.nodeId]))),
  });
  if (tasks.selectedId !== viewState.selectedId && tasks.selectedId !== null) {
    viewState.selectedId = tasks.selectedId;
    saveViewState();
  }
  timelinePart.replaceChildren(
    renderTimeline(tasks.checkpoints, tasks.checkpointError, {
      restore: (checkpointId) => send({ type: 'restoreCheckpoint', checkpointId }),
      compare: (checkpointId, path) => send({ type: 'compareCheckpoint', checkpointId, path }),
    }),
  );
  rolesPart.replaceChildren(
    renderRoles(tasks.roles, {
      choose: (role) => send({ type: 'selectModelForRole', role }),
      test: (role) => send({ type: 'testRoleConnection', role }),
    }),
  );
}

function renderActivityPart(): void {
  activityPart.replaceChildren(
    ...renderActivity(model.activity, model.tasks?.nodes ?? [], {
      answer: (decisionId, choice) => send({ type: 'answerDecision', decisionId, choice }),
      act,
    }),
  );
}

/** The selected node's actions, and one ledger: the one asked for last, with a way back to the other. */
function renderLedgerPart(): void {
  const node = model.tasks?.nodes.find((n) => n.id === model.tasks?.selectedId);
  actionsPart.replaceChildren(
    ...(node
      ? [
          renderNodeActions(
            node,
            model.activity.running?.nodeId === node.id,
            model.activity.decisions.some((d) => d.nodeId === node.id),
            act,
          ),
        ]
      : []),
  );
  ledgerPart.replaceChildren();
  if (model.plan && (viewState.ledger === 'plan' || !node)) {
    if (node) ledgerPart.append(backButton(`Back to the Ledger of "${node.title}"`, 'node'));
    ledgerPart.append(renderPlan(model.plan, (path) => send({ type: 'openItem', path })));
  } else if (node) {
    if (model.plan) ledgerPart.append(backButton(`Back to the Context Plan for "${model.plan.task}"`, 'plan'));
    ledgerPart.append(
      renderLedger(node, model.ledger, model.ledgerPlanning === node.id, {
        setChoice: (nodeId, path, choice) => send({ type: 'setItemChoice', nodeId, path, choice }),
        setBudget: (nodeId, tokens) => send({ type: 'setBudget', nodeId, tokens }),
        invalidBudget: (_nodeId, typed) => showNotice('error', `Budget not changed: ${JSON.stringify(typed)} is not a whole number of tokens, 0 or more.`),
        editSplit: (nodeId) => act(nodeId, 'editSplit'),
      }),
    );
  }
}

/** A short button back to the other ledger; its tooltip and accessible name say whose. */
function backButton(whole: string, which: 'plan' | 'node'): HTMLElement {
  const back = button(which === 'node' ? '← Node Ledger' : '← Context Plan', () => show(which), {
    secondary: true,
    ariaLabel: whole,
    data: { action: which === 'node' ? 'show-node-ledger' : 'show-plan' },
  });
  back.title = whole;
  back.classList.add('back');
  return back;
}

type NoticeFix = NonNullable<Extract<HostToWebview, { type: 'notice' }>['fix']>;

/** One notice at a time, with a close button (and the action that resolves it, if any); the next thing the person asks clears it too. */
function showNotice(level: 'info' | 'error', text: string, fix?: NoticeFix): void {
  const line = el('div', `notice ${level}`);
  if (level === 'error') line.setAttribute('role', 'alert');
  line.append(el('p', 'notice-text', text));
  if (fix) line.append(button(fix.label, () => act(fix.nodeId, fix.action), { data: { action: 'notice-fix' } }));
  line.append(button('✕', clearNotice, { secondary: true, ariaLabel: 'Dismiss this message', data: { action: 'dismiss-notice' } }));
  notice.replaceChildren(line);
  model.noticeFix = fix ?? null;
}

function clearNotice(): void {
  notice.replaceChildren();
  model.noticeFix = null;
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostToWebview.safeParse(event.data);
  if (!parsed.success) return; // the host is the only sender; anything else is dropped
  const message = parsed.data;
  switch (message.type) {
    case 'state':
      model.state = message;
      renderHeader();
      break;
    case 'planning':
      model.planning = message.task;
      renderHeader();
      // Show Context Plan asked for a plan: it shows once made (a plan sent again after a hide and show does not switch).
      if (message.task !== null) show('plan');
      break;
    case 'plan':
      model.plan = message.plan;
      model.planning = null;
      renderHeader();
      renderLedgerPart();
      break;
    case 'tasks':
      // A node selected from outside the sidebar (its status bar item) is a new request for its ledger.
      if (message.tasks.selectedId !== null && message.tasks.selectedId !== viewState.selectedId) viewState.ledger = 'node';
      model.tasks = message.tasks;
      renderHeader();
      renderTasks();
      renderActivityPart(); // it names nodes by their titles
      renderLedgerPart(); // the node's budget or title may have changed
      break;
    case 'ledgerPlanning':
      model.ledgerPlanning = message.nodeId;
      renderLedgerPart();
      break;
    case 'ledger':
      model.ledger = message.ledger;
      renderLedgerPart();
      break;
    case 'activity':
      model.activity = { running: message.running, decisions: message.decisions };
      renderActivityPart();
      renderTasks();
      renderLedgerPart(); // its actions follow the run
      break;
    case 'notice':
      showNotice(message.level, message.text, message.fix);
      break;
  }
});

vscode.postMessage({ type: 'ready', selectedNodeId: viewState.selectedId });
