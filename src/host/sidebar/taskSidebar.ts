import * as vscode from 'vscode';
import { CheckpointError } from '../../core/checkpoints/checkpointError';
import type { HistoryEntry } from '../../core/checkpoints/history';
import { TaskTreeError, type TaskTree } from '../../core/tasks/taskTree';
import { revertFollowingTree } from '../../core/tasks/treeAfterRevert';
import { TreeFileError } from '../../core/tasks/treeStore';
import type { HostToWebview, NodeLedgerView, TasksView } from '../../protocol';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import type { SidebarViewProvider, TaskMessage, TaskMessageHandler } from './sidebarView';
import { restoreGates } from '../restoreConfirmation';
import { VsCodeWorkspaceFiles } from '../vscodeWorkspaceFiles';
import type { RunActivity } from '../runActivity';
import { COMMANDS, FOCUS_SIDEBAR } from '../commandIds';
import { testRoleConnection } from './roleConnectionTest';
import { NODE_ACTION_COMMANDS } from './nodeActionCommands';
import { compareWithNow } from './checkpointPreImages';
import { NodeBudgetStatusBar } from './nodeBudgetStatusBar';
import { NodeChoiceMemory } from './nodeChoices';
import type { NodeLedgerDeps } from './nodeLedger';
import { readRoleBindings } from './roleBindings';
import { roleHealth } from '../roleHealth';
import { toTasksView } from './tasksView';
import { notifyError, notifyWarning } from '../notifications';

// Several writes land together (a tree save, then a checkpoint): reload once after they settle.
const RELOAD_DELAY_MS = 150;

export interface TaskSidebarDeps extends NodeLedgerDeps {
  sidebar: SidebarViewProvider;
  statusBar: NodeBudgetStatusBar;
  workspaces: BatonWorkspaces;
  activity: RunActivity;
}

/**
 * The task side of the sidebar: the saved tree (.baton/tree.json), the checkpoint timeline and the
 * role bindings, reloaded when those files or settings change; the selected node's ledger, planned
 * again after every pin, drop or budget change. The tree file is the truth: every change the
 * sidebar makes is applied to the newest saved tree (the folder's BatonWorkspace).
 */
export class TaskSidebar implements TaskMessageHandler, vscode.Disposable {
  private tree: TaskTree | undefined;
  private treeError: string | null = null;
  private history: HistoryEntry[] = [];
  private checkpointError: string | null = null;
  private selectedId: string | null = null;
  private readonly choices = new NodeChoiceMemory();
  private tasks: TasksView | undefined;
  private ledger: NodeLedgerView | null = null;
  private ledgerKey = '';
  private ledgerRun = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: TaskSidebarDeps) {
    const folder = this.folder();
    if (folder) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.baton/{tree.json,checkpoints/manifests/*.json}'));
      const changed = (): void => this.scheduleReload();
      this.subscriptions.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
    }
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('baton.roles')) {
          this.ledgerKey = ''; // the maker may have changed: plan the ledger again
          this.scheduleReload();
        }
      }),
      deps.activity.onDidChange(() => this.publishActivity()),
      roleHealth.onDidChange(() => this.scheduleReload()),
    );
    deps.sidebar.setTaskHandler(this);
    void this.reload();
  }

  /** Reads the tree, the timeline and the roles again and shows them (after Baton's own commands too). */
  reload(): Promise<void> {
    // One reload at a time, in order: a slow one never overwrites a newer one.
    this.reloading = this.reloading.then(() => this.load()).catch((err) => this.deps.log.error(`Sidebar reload failed: ${String(err)}`));
    return this.reloading;
  }

  /** Shows the sidebar with the node selected (the status bar's click). */
  async reveal(nodeId?: unknown): Promise<void> {
    await vscode.commands.executeCommand(FOCUS_SIDEBAR);
    if (typeof nodeId === 'string' && this.tree?.has(nodeId)) await this.select(nodeId);
  }

  ready(selectedNodeId: string | null): void {
    // After a reload of the window only the webview remembers the selection.
    if (this.selectedId === null && selectedNodeId && this.tree?.has(selectedNodeId)) {
      void this.select(selectedNodeId);
      return;
    }
    if (this.tasks) this.post({ type: 'tasks', tasks: this.tasks });
    this.post({ type: 'ledger', ledger: this.ledger });
    this.publishActivity();
  }

  receive(message: TaskMessage): void {
    const run = async (): Promise<void> => {
      switch (message.type) {
        case 'selectNode':
          return this.select(message.nodeId);
        case 'setItemChoice':
          this.choices.set(message.nodeId, message.path, message.choice);
          return this.planLedger(true);
        case 'setBudget':
          return this.setBudget(message.nodeId, message.tokens);
        case 'restoreCheckpoint':
          return this.restore(message.checkpointId);
        case 'compareCheckpoint':
          return this.compare(message.checkpointId, message.path);
        case 'selectModelForRole':
          await vscode.commands.executeCommand(COMMANDS.selectModelForRole, message.role).then(undefined, (err: unknown) => {
            const text = `Baton: choosing a model for the ${message.role} role is not available (${err instanceof Error ? err.message : String(err)}); set baton.roles.${message.role} in the settings.`;
            this.deps.log.warn(text);
            void notifyWarning(text, 'Open Settings').then((c) => c && vscode.commands.executeCommand('workbench.action.openSettings', 'baton.roles'));
          });
          return;
        case 'testRoleConnection':
          return testRoleConnection(message.role, this.deps.secrets, this.deps.keys, this.deps.log);
        case 'newTask':
          await vscode.commands.executeCommand(COMMANDS.newTask);
          return;
        case 'nodeAction':
          // The same command as the node's context menu: it asks what it asks from the palette.
          if (message.action === 'showLedger') return this.select(message.nodeId);
          await vscode.commands.executeCommand(NODE_ACTION_COMMANDS[message.action], message.nodeId);
          return;
        case 'answerDecision':
          if (!this.deps.activity.answer(message.decisionId, message.choice))
            this.deps.log.info(`Sidebar answer to ${message.decisionId} ignored: it is already settled.`);
          return;
      }
    };
    void run().catch((err) => this.deps.log.error(`Sidebar ${message.type} failed: ${err instanceof Error ? err.stack : String(err)}`));
  }

  private async select(nodeId: string): Promise<void> {
    if (!this.tree?.has(nodeId)) return;
    this.selectedId = nodeId;
    this.publishTasks();
    await this.planLedger(false);
  }

  private async setBudget(nodeId: string, tokens: number): Promise<void> {
    const folder = this.folder();
    if (!folder) return;
    const store = this.deps.workspaces.for(folder).tree;
    try {
      const tree = await store.update((newest) => newest.setBudget(nodeId, tokens));
      this.post({ type: 'notice', level: 'info', text: `Budget of ${tree.label(nodeId)} set to ${tokens} tokens.`, nodeId });
    } catch (err) {
      if (!(err instanceof TaskTreeError || err instanceof TreeFileError || err instanceof RangeError)) throw err;
      // Refused by the parent's split: the notice offers to change that split (to fixed, say).
      const tree = await store.load().then(
        (loaded) => loaded.tree,
        () => undefined,
      );
      const parentId = tree?.find(nodeId)?.parentId ?? null;
      const parent = parentId === null ? undefined : tree?.find(parentId);
      const fix =
        parent && parent.budget.policy.kind !== 'fixed' ? { label: "Edit the Parent's Split", nodeId: parent.id, action: 'editSplit' as const } : undefined;
      this.post({ type: 'notice', level: 'error', text: `Budget not changed: ${err.message}`, nodeId, ...(fix ? { fix } : {}) });
    }
    await this.reload();
  }

  private async restore(checkpointId: string): Promise<void> {
    const folder = this.folder();
    const entry = this.history.find((h) => h.id === checkpointId);
    if (!folder || !entry) return;
    // Its Restore button is not shown; the store would refuse it anyway.
    if (entry.foreign)
      return this.post({
        type: 'notice',
        level: 'error',
        text: `Checkpoint "${entry.label}" was not written by Baton on this machine: it is never restored.`,
        nodeId: null,
      });
    try {
      const workspace = this.deps.workspaces.for(folder);
      // Files of its own: a link approved for this restore is asked about again next time.
      const checkpoints = workspace.checkpoints.withFiles(new VsCodeWorkspaceFiles(folder));
      const result = await revertFollowingTree(workspace.tree, (treeState) =>
        checkpoints.restore(checkpointId, { treeState, ...restoreGates(entry.label, { ask: this.deps.activity.ask, nodeId: entry.nodeId }) }),
      );
      const count = result.written.length + result.deleted.length;
      const text = `Restored ${count} file${count === 1 ? '' : 's'} to before "${entry.label}".`;
      this.deps.log.info(text);
      // Said once the timeline lists the restore (a reload can wait behind a slow ledger plan), so
      // the notice never stands over a timeline without it.
      await this.reload();
      this.post({ type: 'notice', level: 'info', text, nodeId: null });
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      if (err.code === 'declined') return; // the person said no
      this.post({ type: 'notice', level: 'error', text: err.message, nodeId: null });
      void notifyError(`Baton: ${err.message}`);
      await this.reload();
    }
  }

  private async compare(checkpointId: string, path: string): Promise<void> {
    const folder = this.folder();
    const entry = this.history.find((h) => h.id === checkpointId);
    if (!folder || !entry || entry.foreign !== undefined || !entry.files.some((f) => f.path === path)) return;
    await compareWithNow(folder, checkpointId, entry.label, path);
  }

  private async load(): Promise<void> {
    const folder = this.folder();
    if (folder) {
      try {
        const loaded = await this.deps.workspaces.for(folder).tree.load();
        this.tree = loaded.tree;
        this.treeError = null;
      } catch (err) {
        this.tree = undefined;
        this.treeError = err instanceof Error ? err.message : String(err);
      }
      try {
        this.history = await this.deps.workspaces.for(folder).checkpoints.history();
        this.checkpointError = null;
      } catch (err) {
        this.history = [];
        this.checkpointError = err instanceof Error ? err.message : String(err);
      }
    }
    if (this.tree) this.choices.keepOnly(new Set(this.tree.depthFirst().map((n) => n.id)));
    if (this.selectedId && !this.tree?.has(this.selectedId)) this.selectedId = null;
    this.publishTasks();
    await this.planLedger(false);
  }

  private publishTasks(): void {
    this.tasks = toTasksView({
      tree: this.tree,
      treeError: this.treeError,
      selectedId: this.selectedId,
      history: this.history,
      checkpointError: this.checkpointError,
      roles: readRoleBindings(),
    });
    this.post({ type: 'tasks', tasks: this.tasks });
    this.deps.statusBar.show(this.tasks.nodes, this.selectedId);
  }

  /** Plans the selected node's ledger when what it depends on changed (or always, when forced). */
  private async planLedger(force: boolean): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const tree = this.tree;
    const nodeId = this.selectedId;
    if (!folder || !tree || !nodeId || !tree.has(nodeId)) {
      this.ledgerKey = '';
      if (this.ledger) this.post({ type: 'ledger', ledger: (this.ledger = null) });
      return;
    }
    const choices = this.choices.get(nodeId);
    const node = tree.get(nodeId);
    // Everything the ledger is made from: the node's words and budget, its dependencies' save states, the choices.
    const key = JSON.stringify([
      nodeId,
      node.title,
      node.goal,
      node.acceptance,
      node.likelyFiles,
      node.budget.allocated,
      node.dependsOn.map((d) => tree.find(d)?.saveState ?? null),
      choices,
    ]);
    if (!force && key === this.ledgerKey) return;
    this.ledgerKey = key;
    const run = ++this.ledgerRun;
    this.post({ type: 'ledgerPlanning', nodeId });
    const { planNodeLedger } = await import('./nodeLedger'); // the context engine's code loads with the first ledger
    const ledger = await planNodeLedger(this.deps, folder, tree, nodeId, choices);
    if (run !== this.ledgerRun) return; // a newer selection or choice is being planned
    this.ledger = ledger;
    this.post({ type: 'ledger', ledger });
    this.post({ type: 'ledgerPlanning', nodeId: null });
  }

  private publishActivity(): void {
    this.post({ type: 'activity', running: this.deps.activity.runningNode, decisions: this.deps.activity.pending });
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_DELAY_MS);
  }

  private post(message: HostToWebview): void {
    this.deps.sidebar.send(message);
  }

  private folder(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
