// The task tree on disk: `.baton/tree.json`, written through the StateStore port so that a restart
// finds every node, link, order and state as it was. The file carries a schema version; older
// versions are migrated on load. A file Baton cannot read is never overwritten: loading names the
// file and what is wrong, and only when the person asks to start fresh is the bad file set aside.
// Every change is a function of the newest tree, applied under the tree's lock (one at a time in
// this process, and against a second window or the command line): no writer saves a stale copy.
import * as z from 'zod';
import { LockedTurns } from '../lockedTurns';
import type { Clock, StateStore } from '../ports';
import { splitBudget, type BudgetPolicy } from './budgets';
import { SaveStateSchema } from './saveState';
import { TASK_STATES, TaskTree, TaskTreeError, type TaskTreeSnapshot } from './taskTree';
import { BatonError } from '../batonError';

/** Inside the StateStore, whose root is the workspace's `.baton/` folder. */
export const TREE_FILE = 'tree.json';
export const TREE_SCHEMA_VERSION = 2;

const tokens = z.number().int().nonnegative();
const text = z.string();

const PolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('equal') }),
  z.object({ kind: z.literal('weighted'), weights: z.record(z.string(), z.number().nonnegative()) }),
  z.object({ kind: z.literal('fixed') }),
]);

const UsageSchema = z.object({ inputTokens: tokens, outputTokens: tokens, cost: z.number().nonnegative(), calls: tokens });

const commonNodeFields = {
  id: z.string().min(1),
  parentId: z.string().min(1).nullable(),
  title: text,
  goal: text,
  acceptance: z.array(text),
  likelyFiles: z.array(text),
  dependsOn: z.array(z.string()),
  mode: z.enum(['delegate', 'keep']),
  keepReason: text.optional(),
  state: z.enum(TASK_STATES),
  saveState: SaveStateSchema.optional(),
  notes: text.optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  children: z.array(z.string()),
};

const TreeFileV2Schema = z.object({
  schemaVersion: z.literal(2),
  nextSeq: z.number().int().positive(),
  roots: z.array(z.string()),
  nodes: z.array(z.object({ ...commonNodeFields, budget: z.object({ allocated: tokens, policy: PolicySchema }), usage: UsageSchema })),
});

/** Version 1: a node's budget was a bare number (children kept their own) and ids had no counter. */
const TreeFileV1Schema = z.object({
  schemaVersion: z.literal(1),
  roots: z.array(z.string()),
  nodes: z.array(z.object({ ...commonNodeFields, budget: tokens, usage: UsageSchema.optional() })),
});

type TreeFileV2 = z.infer<typeof TreeFileV2Schema>;
type TreeFileV1 = z.infer<typeof TreeFileV1Schema>;

export class TreeFileError extends BatonError {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(
      'input',
      `.baton/${path} cannot be read: ${problems.join('; ')}. Baton left the file untouched: fix it, ` +
        `or start a fresh tree (the file is then kept as .baton/${path}.bad-<time>).`,
    );
  }
}

export interface LoadedTree {
  tree: TaskTree;
  /** The file's version when it was older than this Baton's; saving writes the current one. */
  migratedFrom?: number;
  /** What a migration changed, for the log. */
  notes: string[];
  /** Where the unreadable file was kept when the person asked to start fresh. */
  keptBadFileAs?: string;
}

export class TaskTreeStore {
  private readonly turns: LockedTurns;

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly path: string = TREE_FILE,
  ) {
    this.turns = new LockedTurns(store, path);
  }

  /**
   * The saved tree; an empty one when there is none. A file that cannot be read throws a
   * TreeFileError, unless `startFreshIfUnreadable` is set: then the file is copied to
   * `<path>.bad-<time>` and an empty tree comes back (tree.json stays: a change refuses it until it is fixed or removed).
   */
  async load(options: { startFreshIfUnreadable?: boolean } = {}): Promise<LoadedTree> {
    const bytes = await this.store.read(this.path);
    if (bytes === undefined) return { tree: TaskTree.empty(this.clock), notes: [] };
    try {
      return this.parse(bytes);
    } catch (error) {
      if (!(error instanceof TreeFileError) || !options.startFreshIfUnreadable) throw error;
      const keptBadFileAs = `${this.path}.bad-${new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-')}`;
      await this.store.write(keptBadFileAs, bytes);
      return { tree: TaskTree.empty(this.clock), notes: [error.message], keptBadFileAs };
    }
  }

  /**
   * Replaces the saved tree whole: a fresh plan (`baton plan --save`), a test's fixture. A change to
   * the tree the person has goes through update(), so it never writes back a stale copy.
   */
  async save(tree: TaskTree): Promise<void> {
    await this.update(() => tree);
  }

  /**
   * Applies `change` to the newest saved tree (an empty one when there is none) and writes what it
   * returns, in the current schema; resolves with it. Holds the tree's lock from the read to the
   * write. A file it cannot read is never replaced (TreeFileError); a change that throws (say, the
   * node it edits was removed meanwhile) writes nothing.
   */
  update(change: (tree: TaskTree) => TaskTree): Promise<TaskTree> {
    return this.turns.take(async () => {
      const existing = await this.store.read(this.path);
      // parse throws TreeFileError: a file Baton cannot read is never overwritten.
      const loaded = existing === undefined ? undefined : this.parse(existing);
      const current = loaded?.tree ?? TaskTree.empty(this.clock);
      const changed = change(current);
      if (changed === current && loaded && loaded.migratedFrom === undefined) return changed; // nothing to write
      const file: TreeFileV2 = { schemaVersion: TREE_SCHEMA_VERSION, ...toPlain(changed.toSnapshot()) };
      await this.store.write(this.path, new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`));
      return changed;
    });
  }

  private parse(bytes: Uint8Array): LoadedTree {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      throw new TreeFileError(this.path, [`it is not valid UTF-8 JSON (${(error as Error).message})`]);
    }
    const version = typeof json === 'object' && json !== null && 'schemaVersion' in json ? json.schemaVersion : undefined;
    const notes: string[] = [];
    let file: TreeFileV2;
    if (version === 1) file = migrateV1(this.validate(TreeFileV1Schema, json), notes);
    else if (version === 2) file = this.validate(TreeFileV2Schema, json);
    else if (typeof version === 'number' && version > TREE_SCHEMA_VERSION) {
      throw new TreeFileError(this.path, [`it was written by a newer Baton (schemaVersion ${version}; this one reads up to ${TREE_SCHEMA_VERSION})`]);
    } else throw new TreeFileError(this.path, [`schemaVersion is ${JSON.stringify(version)}, expected a number from 1 to ${TREE_SCHEMA_VERSION}`]);
    try {
      const { schemaVersion: _version, ...snapshot } = file;
      const tree = TaskTree.fromSnapshot(snapshot, this.clock);
      return version === TREE_SCHEMA_VERSION ? { tree, notes } : { tree, migratedFrom: version, notes };
    } catch (error) {
      if (error instanceof TaskTreeError || error instanceof RangeError) throw new TreeFileError(this.path, [error.message]);
      throw error;
    }
  }

  private validate<S extends z.ZodType>(schema: S, json: unknown): z.infer<S> {
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    throw new TreeFileError(
      this.path,
      result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, json)),
    );
  }
}

/** "node "t3" (nodes[2]).budget.allocated: expected an integer": where, and what is wrong. */
function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  let where = '';
  let value: unknown = json;
  for (const key of issue.path) {
    const nodeId = typeof key === 'number' && where === 'nodes' ? idOf((value as unknown[])[key]) : undefined;
    where =
      nodeId !== undefined
        ? `node "${nodeId}" (nodes[${String(key)}])`
        : typeof key === 'number'
          ? `${where}[${key}]`
          : where
            ? `${where}.${String(key)}`
            : String(key);
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  }
  return `${where || 'the file'}: ${issue.message}`;
}

function idOf(node: unknown): string | undefined {
  return typeof node === 'object' && node !== null && 'id' in node && typeof node.id === 'string' ? node.id : undefined;
}

/**
 * v1 -> v2: a bare budget becomes { allocated, policy }. Children that fit in their parent keep
 * their budgets (a fixed split, as v1 behaved); children asking for more are split equally now,
 * and the note says so. The id counter starts after the highest numbered id.
 */
function migrateV1(file: TreeFileV1, notes: string[]): TreeFileV2 {
  const byId = new Map(file.nodes.map((node) => [node.id, node]));
  const policies = new Map<string, BudgetPolicy>();
  const allocated = new Map(file.nodes.map((node) => [node.id, node.budget]));
  const visit = (id: string): void => {
    const node = byId.get(id);
    if (!node) return; // the tree check after migration names the missing child
    const children = node.children.filter((c) => byId.has(c));
    const wanted = children.map((c) => ({ id: c, allocated: allocated.get(c)! }));
    const fixed = splitBudget(allocated.get(id)!, { kind: 'fixed' }, wanted);
    const policy: BudgetPolicy = fixed.ok ? { kind: 'fixed' } : { kind: 'equal' };
    if (!fixed.ok) {
      notes.push(
        `"${node.title}" (${id}): its children asked for ${fixed.overAllocation.childrenTotal} of its ${allocated.get(id)} tokens, so they now split it equally`,
      );
      const equal = splitBudget(allocated.get(id)!, policy, wanted);
      if (equal.ok) for (const [child, share] of equal.allocations) allocated.set(child, share);
    }
    policies.set(id, policy);
    for (const child of children) visit(child);
  };
  for (const root of file.roots) visit(root);
  const numbered = file.nodes
    .map((n) => /^t(\d+)$/.exec(n.id)?.[1])
    .filter((n) => n !== undefined)
    .map(Number);
  return {
    schemaVersion: 2,
    nextSeq: Math.max(0, ...numbered) + 1,
    roots: file.roots,
    nodes: file.nodes.map(({ budget, usage, ...node }) => ({
      ...node,
      // Version 1 did not insist on a reason; version 2 does, so say where the node came from.
      ...(node.mode === 'keep' && !node.keepReason?.trim() ? { keepReason: 'kept for the person (an older Baton recorded no reason)' } : {}),
      budget: { allocated: allocated.get(node.id) ?? budget, policy: policies.get(node.id) ?? { kind: 'equal' } },
      usage: usage ?? { inputTokens: 0, outputTokens: 0, cost: 0, calls: 0 },
    })),
  };
}

/** The snapshot as plain JSON data (readonly arrays copied, no undefined fields). */
function toPlain(snapshot: TaskTreeSnapshot): Omit<TreeFileV2, 'schemaVersion'> {
  return JSON.parse(JSON.stringify(snapshot)) as Omit<TreeFileV2, 'schemaVersion'>;
}
