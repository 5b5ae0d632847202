// What the webview remembers across hide/show and a window reload (vscode.setState): which node
// is selected and which nodes are collapsed. Everything else comes from the host again.

export interface SidebarViewState {
  selectedId: string | null;
  collapsed: string[];
}

export interface StateApi {
  getState(): unknown;
  setState(state: SidebarViewState): void;
}

export function loadViewState(api: StateApi): SidebarViewState {
  const raw = api.getState();
  const state: SidebarViewState = { selectedId: null, collapsed: [] };
  if (typeof raw !== 'object' || raw === null) return state;
  const { selectedId, collapsed } = raw as Record<string, unknown>;
  if (typeof selectedId === 'string') state.selectedId = selectedId;
  if (Array.isArray(collapsed)) state.collapsed = collapsed.filter((id): id is string => typeof id === 'string');
  return state;
}
