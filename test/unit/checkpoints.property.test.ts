import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { CheckpointError } from '../../src/core/checkpoints/checkpointError';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import type { StateStore, WorkspaceFiles } from '../../src/core/ports';
import {
  describeDifferences,
  makeTempDir,
  MemoryStateStore,
  MemoryWorkspaceFiles,
  snapshotFolder,
  steppingClock,
  testSigningKey,
  utf8,
} from '../support/checkpointFixtures';

// Random sequences of steps that create, modify, delete and rename text and binary files, while
// the person edits other files in between. Restoring any checkpoint must give back exactly the
// files as they were before that step and leave every other file alone; undoing a node must touch
// only what that node wrote; and each of those must itself be undoable.

// Files the steps work on; `*.log` and `build/` are git-ignored in the on-disk runs.
const STEP_PATHS = ['a.txt', 'b.bin', 'src/c.ts', 'src/deep/d.bin', 'build/out.bin', 'notes.log', 'fresh/e.txt'];
// Files only the person edits, never part of a checkpoint.
const BYSTANDER_PATHS = ['README.md', 'bystander.bin', 'build/cache.log', 'src/untracked.ts'];

type Op = { kind: 'create' | 'modify'; path: string; content: Uint8Array } | { kind: 'delete'; path: string } | { kind: 'rename'; from: string; to: string };

interface Step {
  nodeId: string;
  ops: Op[];
  /** The person's edits to bystander files just before the step (null content: deleted). */
  personEdits: { path: string; content: Uint8Array | null }[];
}

interface Scenario {
  initial: [string, Uint8Array][];
  steps: Step[];
  finalPersonEdits: Step['personEdits'];
  restoreIndex: number;
  undoNodeId: string;
}

const content = fc.oneof(
  fc.string({ maxLength: 120 }).map(utf8),
  fc.uint8Array({ maxLength: 300 }), // random bytes: NULs, invalid UTF-8, CRs
  fc.constant(new Uint8Array()),
);
const stepPath = fc.constantFrom(...STEP_PATHS);
const bystanderPath = fc.constantFrom(...BYSTANDER_PATHS);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), path: stepPath, content }),
  fc.record({ kind: fc.constant('modify' as const), path: stepPath, content }),
  fc.record({ kind: fc.constant('delete' as const), path: stepPath }),
  fc.record({ kind: fc.constant('rename' as const), from: stepPath, to: stepPath }),
);
const personEdits = fc.array(fc.record({ path: bystanderPath, content: fc.option(content) }), { maxLength: 2 });
const scenario: fc.Arbitrary<Scenario> = fc.record({
  initial: fc.array(fc.tuple(fc.constantFrom(...STEP_PATHS, ...BYSTANDER_PATHS), content), { maxLength: 8 }),
  steps: fc.array(fc.record({ nodeId: fc.constantFrom('A', 'B', 'C'), ops: fc.array(op, { minLength: 1, maxLength: 4 }), personEdits }), {
    minLength: 1,
    maxLength: 5,
  }),
  finalPersonEdits: personEdits,
  restoreIndex: fc.nat(),
  undoNodeId: fc.constantFrom('A', 'B', 'C'),
});

interface Workspace {
  files: WorkspaceFiles;
  state: StateStore;
  /** Every file in the workspace except Baton's own state (and, on disk, including `.git/`). */
  snapshot(): Promise<Map<string, Uint8Array>>;
}

function touchedPaths(ops: readonly Op[]): string[] {
  return ops.flatMap((entry) => (entry.kind === 'rename' ? [entry.from, entry.to] : [entry.path]));
}

async function applyOp(files: WorkspaceFiles, entry: Op): Promise<void> {
  if (entry.kind === 'delete') return files.delete(entry.path);
  if (entry.kind !== 'rename') return files.write(entry.path, entry.content);
  const bytes = await files.read(entry.from);
  if (bytes === undefined || entry.from === entry.to) return;
  await files.write(entry.to, bytes);
  await files.delete(entry.from);
}

async function applyPersonEdits(files: WorkspaceFiles, edits: Step['personEdits']): Promise<void> {
  for (const edit of edits) await (edit.content === null ? files.delete(edit.path) : files.write(edit.path, edit.content));
}

function only(snapshot: ReadonlyMap<string, Uint8Array>, keep: (path: string) => boolean): Map<string, Uint8Array> {
  return new Map([...snapshot].filter(([path]) => keep(path)));
}

function assertSame(actual: ReadonlyMap<string, Uint8Array>, expected: ReadonlyMap<string, Uint8Array>, what: string): void {
  const differences = describeDifferences(actual, expected);
  assert.deepEqual(differences, [], `${what}: ${differences.join('; ')}`);
}

async function runScenario(workspace: Workspace, input: Scenario): Promise<void> {
  const { files, state } = workspace;
  const store = new CheckpointStore({ files, state, clock: steppingClock(), key: testSigningKey });
  for (const [path, bytes] of input.initial) await files.write(path, bytes);

  const ids: string[] = [];
  const beforeStep: Map<string, Uint8Array>[] = [];
  for (const step of input.steps) {
    await applyPersonEdits(files, step.personEdits);
    beforeStep.push(await workspace.snapshot());
    const id = await store.create({ nodeId: step.nodeId, label: `step ${ids.length}`, paths: touchedPaths(step.ops) });
    for (const entry of step.ops) await applyOp(files, entry);
    await store.recordAfter(id);
    ids.push(id);
  }
  await applyPersonEdits(files, input.finalPersonEdits);
  const final = await workspace.snapshot();
  const isStepPath = (path: string): boolean => STEP_PATHS.includes(path);
  const isOther = (path: string): boolean => !isStepPath(path);

  // Restore a checkpoint: the step files as before that step, everything else as it is now.
  const index = input.restoreIndex % ids.length;
  const restored = await store.restore(ids[index] ?? '');
  const afterRestore = await workspace.snapshot();
  assertSame(only(afterRestore, isStepPath), only(beforeStep[index] ?? new Map(), isStepPath), `restore of step ${index}`);
  assertSame(only(afterRestore, isOther), only(final, isOther), `files outside the checkpoints after restoring step ${index}`);

  // The restore is itself undoable, byte for byte.
  await store.restore(restored.undoCheckpointId);
  assertSame(await workspace.snapshot(), final, 'undo of the restore');

  // Undo one node: either refused (nothing changes) or only its own files change; then undo that.
  const nodeSteps = input.steps.filter((step) => step.nodeId === input.undoNodeId);
  const nodePaths = new Set(nodeSteps.flatMap((step) => touchedPaths(step.ops)));
  try {
    const undone = await store.undoNode(input.undoNodeId);
    const afterUndo = await workspace.snapshot();
    assertSame(
      only(afterUndo, (path) => !nodePaths.has(path)),
      only(final, (path) => !nodePaths.has(path)),
      `undoNode ${input.undoNodeId}`,
    );
    await store.restore(undone.undoCheckpointId);
    assertSame(await workspace.snapshot(), final, `undo of undoNode ${input.undoNodeId}`);
  } catch (err) {
    if (!(err instanceof CheckpointError) || !['nothing-to-undo', 'changed-since'].includes(err.code)) throw err;
    assert.equal(err.code === 'nothing-to-undo', nodeSteps.length === 0, err.message);
    assertSame(await workspace.snapshot(), final, `refused undoNode ${input.undoNodeId}`);
  }
}

describe('checkpoints: random sequences of steps', function () {
  this.timeout(60_000);

  it('restore is byte-exact and touches nothing else (500 sequences, in memory)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const files = new MemoryWorkspaceFiles();
        await runScenario({ files, state: new MemoryStateStore(), snapshot: async () => files.snapshot() }, input);
      }),
      { numRuns: 500 },
    );
  });

  it('restore is byte-exact and touches nothing else (on disk, in a git repository with ignored and untracked files)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const root = await makeTempDir('checkpoint-property');
        try {
          await gitRepositoryWithIgnores(root);
          const workspace: Workspace = {
            files: new NodeWorkspaceFiles(root),
            state: new NodeStateStore(join(root, '.baton')),
            snapshot: () => snapshotFolder(root, ['.baton']),
          };
          await runScenario(workspace, input);
        } finally {
          await fsp.rm(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
  });
});

/** A repository with a commit, so the runs see tracked, untracked and ignored files next to `.git/`. */
async function gitRepositoryWithIgnores(root: string): Promise<void> {
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  await fsp.writeFile(join(root, '.gitignore'), '*.log\nbuild/\n.baton/\n');
  await fsp.writeFile(join(root, 'tracked.txt'), 'committed\n');
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=Baton Test', '-c', 'user.email=test@baton.invalid', 'commit', '-q', '-m', 'fixture');
}
