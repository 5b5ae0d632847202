// The person's pins and drops per node, kept in memory for this window only: they shape the ledger
// the sidebar shows (and so the prompt the person reviews), without writing into the tree file
// that the planner and the runner own. A reload starts from the ranking's own choice again.

export type ItemChoice = 'pin' | 'drop' | 'none';

export interface NodeChoices {
  pinned: string[];
  dropped: string[];
}

export class NodeChoiceMemory {
  private readonly byNode = new Map<string, { pinned: Set<string>; dropped: Set<string> }>();

  get(nodeId: string): NodeChoices {
    const entry = this.byNode.get(nodeId);
    return { pinned: [...(entry?.pinned ?? [])].sort(), dropped: [...(entry?.dropped ?? [])].sort() };
  }

  /** A file is pinned, dropped, or neither; choosing one undoes the other. */
  set(nodeId: string, path: string, choice: ItemChoice): void {
    let entry = this.byNode.get(nodeId);
    if (!entry) this.byNode.set(nodeId, (entry = { pinned: new Set(), dropped: new Set() }));
    entry.pinned.delete(path);
    entry.dropped.delete(path);
    if (choice === 'pin') entry.pinned.add(path);
    if (choice === 'drop') entry.dropped.add(path);
  }

  /** Forgets nodes that are no longer in the tree. */
  keepOnly(nodeIds: ReadonlySet<string>): void {
    for (const id of this.byNode.keys()) if (!nodeIds.has(id)) this.byNode.delete(id);
  }
}
