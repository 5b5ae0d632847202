import type { NodeAction } from '../../protocol';
import { SET_SPLIT_POLICY_COMMAND } from '../commands/setSplitPolicyCommand';
import { REVEAL_NODE_COMMAND } from './nodeBudgetStatusBar';

/**
 * The command behind each of a node's actions in the sidebar: its buttons send the action, its
 * context menu (package.json `webview/context`) runs the same command with the node's context.
 * Each takes the node id and asks whatever it asks when run from the palette.
 */
export const NODE_ACTION_COMMANDS: Record<NodeAction, string> = {
  decompose: 'baton.decompose',
  run: 'baton.runSubtask',
  retry: 'baton.retrySubtask',
  stop: 'baton.stopRun',
  keep: 'baton.keepForMe',
  delegate: 'baton.delegate',
  edit: 'baton.editTask',
  editBudget: 'baton.setBudget',
  editSplit: SET_SPLIT_POLICY_COMMAND,
  showLedger: REVEAL_NODE_COMMAND,
  showLog: 'baton.showLog',
};
