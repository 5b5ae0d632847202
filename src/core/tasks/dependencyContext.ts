// What a node learns from the nodes it depends on: their save states, never their conversations.
// The text goes into the node's prompt, so each state can be compacted to a size the caller picks.
import { compactSaveState, renderSaveState, type CountTokens } from './saveState';
import type { TaskTree } from './taskTree';

export interface DependencyContextOptions {
  /** Compact each dependency's state to this many tokens (never below the save-state floor). */
  maxTokensEach?: number;
  countTokens?: CountTokens;
}

/** The states of the nodes `nodeId` depends on, in the order it lists them, as prompt text. */
export function dependencyContext(tree: TaskTree, nodeId: string, options: DependencyContextOptions = {}): string {
  const node = tree.get(nodeId);
  const sections = node.dependsOn.map((depId) => {
    const dep = tree.get(depId);
    const heading = `## ${dep.title} (${dep.id}, ${dep.state})`;
    if (!dep.saveState) return `${heading}\n(no save state yet)`;
    const state =
      options.maxTokensEach !== undefined && options.countTokens
        ? compactSaveState(dep.saveState, options.maxTokensEach, options.countTokens).state
        : dep.saveState;
    return `${heading}\n${renderSaveState(state)}`;
  });
  return sections.join('\n\n');
}
