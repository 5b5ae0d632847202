// What the webview remembers across hide/show and a window reload (vscode.setState): which node
// is selected, which nodes are collapsed and which ledger shows (the node's, or the plan for a typed
// task). Everything else comes from the host again.

export interface SidebarViewState {
  selectedId: string | null;
  collapsed: string[];
  /** The ledger asked for last: it shows again after a hide and show. */
  ledger: 'plan' | 'node';
}

export interface StateApi {
  getState(): unknown;
  setState(state: SidebarViewState): void;
}

export function loadViewState(api: StateApi): SidebarViewState {
  const raw = api.getState();
  const state: SidebarViewState = { selectedId: null, collapsed: [], ledger: 'node' };
  if (typeof raw !== 'object' || raw === null) return state;
  const { selectedId, collapsed, ledger } = raw as Record<string, unknown>;
  if (typeof selectedId === 'string') state.selectedId = selectedId;
  if (ledger === 'plan' || ledger === 'node') state.ledger = ledger;
  if (Array.isArray(collapsed)) state.collapsed = collapsed.filter((id): id is string => typeof id === 'string');
  return state;
}
