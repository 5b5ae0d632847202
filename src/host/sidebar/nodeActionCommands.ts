import type { NodeAction } from '../../protocol';
import { COMMANDS, type CommandId } from '../commandIds';

/**
 * The command behind each of a node's actions in the sidebar: its buttons send the action, its
 * context menu (package.json `webview/context`) runs the same command with the node's context.
 * Each takes the node id and asks whatever it asks when run from the palette.
 */
export const NODE_ACTION_COMMANDS: Record<NodeAction, CommandId> = {
  decompose: COMMANDS.decompose,
  run: COMMANDS.runSubtask,
  retry: COMMANDS.retrySubtask,
  stop: COMMANDS.stopRun,
  keep: COMMANDS.keepForMe,
  delegate: COMMANDS.delegate,
  edit: COMMANDS.editTask,
  editBudget: COMMANDS.setBudget,
  editSplit: COMMANDS.setSplitPolicy,
  showLedger: COMMANDS.revealNode,
  showLog: COMMANDS.showLog,
};
