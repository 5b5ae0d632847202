// The fault matrix of issue 6: every way a model server can fail, injected at each role's call
// (planner, maker, breaker, summariser) while that role's real code path runs against the scripted
// server. Plain Node (no mocha globals) so the unit tests and bench/reliability.mjs share it.
//
// A case passes when Baton either recovers within its bounded retries (with the retry shown as a
// status) or fails with the error class and message the scenario names, and in both cases writes no
// partial edit, leaves the files as they were when the failure came before the apply, and can still
// save the task tree the caller holds.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, promises as fsp, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { NodeExec } from '../../src/node/nodeExec';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { ContextEngine } from '../../src/core/context/engine';
import { AnswerTooLongError, BadResponseError, IdleTimeoutError, IncompleteStreamError } from '../../src/core/providers/errors';
import { OpenAICompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { RoleRouter } from '../../src/core/providers/router';
import type { ProviderStatus } from '../../src/core/providers/types';
import { planTask } from '../../src/core/tasks/planner';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { TaskTreeStore } from '../../src/core/tasks/treeStore';
import { FilesApplier } from '../../src/core/proposals/filesApplier';
import { diffHunks } from '../../src/core/proposals/hunks';
import { runNode } from '../../src/core/run/nodeRun';
import type { FileDecision, ReviewPort } from '../../src/core/proposals/types';
import { MemorySecretStore } from './memorySecretStore';
import { ScriptedServer, type ScriptedReply } from './scriptedServer';
import { testSigningKey } from './checkpointFixtures';

export const FAULT_ROLES = ['planner', 'maker', 'breaker', 'summariser'] as const;
export type FaultRole = (typeof FAULT_ROLES)[number];

/**
 * Limits no healthy answer comes near: on a loaded two-core machine a loopback connection alone was
 * measured at up to half a second before the server saw the request, so any short limit would end
 * healthy calls too. Only a fault can reach these. Retry waits stay short so the matrix runs in seconds.
 */
export const STEADY_NETWORK = { idleTimeoutSeconds: 10, headersTimeoutSeconds: 10, maxRetries: 2, maxRetryWaitSeconds: 0.05 } as const;

const MODEL_OF: Record<FaultRole, string> = { planner: 'planner-model', maker: 'maker-model', breaker: 'reviewer-model', summariser: 'summary-model' };

type ErrorClass = abstract new (...args: never[]) => Error;

export interface FaultScenario {
  id: string;
  title: string;
  /** The replies to the faulted call, given the valid answer that role would get. */
  replies(validAnswer: unknown): ScriptedReply[];
  /**
   * The one limit a timeout scenario tests, short so the case ends in under a second. Only the
   * faulted role's provider has it, and the server stays silent for good once the fault starts (what
   * it sends before, it sends in one write), so no amount of load changes which limit ends the call.
   */
  tightLimit?: { idleTimeoutSeconds: number } | { headersTimeoutSeconds: number };
  expect: { kind: 'recovers'; retryReason: ProviderStatus['reason'] } | { kind: 'fails'; errorClass: ErrorClass; message: RegExp };
}

/** Messages name the provider and the model ("vllm (maker-model): ...") and say what to do. */
const named = (what: string): RegExp => new RegExp(`^vllm \\((planner|maker|reviewer|summary)-model\\): ${what}`);

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  {
    id: '429',
    title: '429 with Retry-After',
    replies: (answer) => [{ status: 429, retryAfter: '0', errorMessage: 'slow down' }, { json: answer }],
    expect: { kind: 'recovers', retryReason: 'rate-limited' },
  },
  {
    id: '500',
    title: 'HTTP 500',
    replies: (answer) => [{ status: 500 }, { json: answer }],
    expect: { kind: 'recovers', retryReason: 'server-error' },
  },
  {
    id: '503',
    title: 'HTTP 503, twice',
    replies: (answer) => [{ status: 503, retryAfter: '0' }, { status: 503 }, { json: answer }],
    expect: { kind: 'recovers', retryReason: 'server-error' },
  },
  {
    id: 'reset',
    title: 'connection reset mid-stream',
    replies: (answer) => [{ json: answer, fault: 'reset-mid-stream' }],
    expect: {
      kind: 'fails',
      errorClass: IncompleteStreamError,
      message: named(
        'the answer stream ended without a finish reason after \\d+ characters \\(the connection failed mid-answer.*\\); the partial answer was discarded\\. Try again\\.$',
      ),
    },
  },
  {
    id: 'no-finish',
    title: 'stream ends without a finish reason',
    replies: (answer) => [{ json: answer, finishReason: null }],
    expect: {
      kind: 'fails',
      errorClass: IncompleteStreamError,
      message: named('the answer stream ended without a finish reason .*\\(the server closed the stream\\); the partial answer was discarded\\. Try again\\.$'),
    },
  },
  {
    id: 'malformed-sse',
    title: 'malformed SSE JSON',
    replies: (answer) => [{ json: answer, fault: 'malformed-sse' }],
    expect: {
      kind: 'fails',
      errorClass: BadResponseError,
      message: named(
        "the server's answer could not be read \\(a streamed event was not valid JSON\\)\\. Check that the base URL points to an OpenAI-compatible /v1 endpoint\\.$",
      ),
    },
  },
  {
    id: 'idle',
    title: 'idle stream',
    replies: (answer) => [{ json: answer, fault: 'idle-after-text' }],
    tightLimit: { idleTimeoutSeconds: 0.3 },
    expect: {
      kind: 'fails',
      errorClass: IdleTimeoutError,
      message: named('the answer stream went silent for 0\\.3 s; the call was abandoned\\. Try again, or raise baton\\.network\\.idleTimeoutSeconds'),
    },
  },
  {
    id: 'hang',
    title: 'hang before headers',
    replies: () => [{ fault: 'hang-before-headers' }],
    tightLimit: { headersTimeoutSeconds: 0.6 },
    expect: {
      kind: 'fails',
      errorClass: IdleTimeoutError,
      message: named('no response from the server for 0\\.6 s; the call was abandoned\\. Try again, or raise baton\\.network\\.headersTimeoutSeconds'),
    },
  },
  {
    id: 'huge',
    title: 'huge answer (2 MB, far past the output limit)',
    // Valid JSON of the right shape, padded: a server ignoring max_tokens must not fill memory or the tree.
    replies: (answer) => [{ json: { ...(answer as object), padding: 'x'.repeat(2 * 1024 * 1024) }, chunkChars: 64 * 1024 }],
    expect: {
      kind: 'fails',
      errorClass: AnswerTooLongError,
      message: named('the answer passed [\\d,]+ characters, far more than the [\\d,]+ output tokens asked for, and was discarded\\.'),
    },
  },
];

// Valid answers for each role, on the pyshop fixture.
const PLAN = {
  subtasks: [
    {
      title: 'Round Cart.total to cents',
      goal: 'total() returns 2 decimals',
      acceptance: ['total() has at most 2 decimals'],
      likelyFiles: ['shop/cart.py'],
      budgetShare: 1,
      dependsOn: [],
      mode: 'delegate',
    },
  ],
  notes: '',
};
const EDIT_SEARCH = '        return subtotal + compute_tax(subtotal, self.region)';
const EDIT = {
  summary: 'Round total to cents',
  edits: [{ kind: 'replace', path: 'shop/cart.py', search: EDIT_SEARCH, replace: '        return round(subtotal + compute_tax(subtotal, self.region), 2)' }],
};
const PASS = { verdict: 'pass', findings: [] };
const SAVE_STATE = {
  filesChanged: [{ path: 'shop/cart.py', summary: 'total rounds to cents' }],
  decisions: ['round()'],
  openQuestions: [],
  pinnedFacts: [],
  summary: 'Totals are rounded.',
};

const VALID_ANSWER: Record<FaultRole, unknown> = { planner: PLAN, maker: EDIT, breaker: PASS, summariser: SAVE_STATE };
/** The calls made before each role's, in the order a node run makes them. */
const BEFORE: Record<FaultRole, unknown[]> = { planner: [], maker: [], breaker: [EDIT], summariser: [EDIT, PASS] };
const AFTER: Record<FaultRole, unknown[]> = { planner: [], maker: [PASS, SAVE_STATE], breaker: [SAVE_STATE], summariser: [] };

export interface FaultCaseResult {
  role: FaultRole;
  scenario: string;
  outcome: 'recovered' | 'clear-error';
  ms: number;
  statuses: string[];
  error?: string;
}

/** What went wrong, for the test's assertion message and the bench's report. */
export class FaultCaseFailure extends Error {
  constructor(role: FaultRole, scenario: string, problem: string) {
    super(`${role} x ${scenario}: ${problem}`);
    this.name = 'FaultCaseFailure';
  }
}

export interface FaultWorld {
  /** A pristine copy of test/fixtures/pyshop; each case works on its own copy of it. */
  pristine: string;
  engine: ContextEngine;
  /** sha256 of shop/cart.py with the maker's edit applied: what a finished apply leaves. */
  editedCartHash: string;
  dispose(): void;
}

/** Opens the fixture once: the context engine is read-only, so cases can share it. */
export async function openFaultWorld(fixture = join(__dirname, '..', 'fixtures', 'pyshop')): Promise<FaultWorld> {
  const pristine = mkdtempSync(join(tmpdir(), 'baton-faults-'));
  cpSync(fixture, pristine, { recursive: true });
  const engine = await ContextEngine.open(pristine);
  const cart = await fsp.readFile(join(pristine, 'shop/cart.py'), 'utf8');
  if (cart.split(EDIT_SEARCH).length !== 2) throw new Error('test/fixtures/pyshop changed: the scripted edit no longer matches shop/cart.py exactly once');
  const editedCartHash = createHash('sha256').update(cart.replace(EDIT_SEARCH, EDIT.edits[0]!.replace)).digest('hex');
  return { pristine, engine, editedCartHash, dispose: () => rmSync(pristine, { recursive: true, force: true }) };
}

const clock = { now: () => Date.now() };

/** Runs one role against one fault and checks every promise of the matrix; throws FaultCaseFailure. */
export async function runFaultCase(world: FaultWorld, role: FaultRole, scenario: FaultScenario): Promise<FaultCaseResult> {
  const fail = (problem: string): never => {
    throw new FaultCaseFailure(role, scenario.id, problem);
  };
  const root = mkdtempSync(join(tmpdir(), `baton-fault-${role}-`));
  cpSync(world.pristine, root, { recursive: true });
  const server = await ScriptedServer.start();
  const statuses: string[] = [];
  const started = performance.now();
  try {
    server.models = Object.values(MODEL_OF).map((id) => ({ id, max_model_len: 16_000 }));
    server.enqueue(...BEFORE[role].map((json) => ({ json })), ...scenario.replies(VALID_ANSWER[role]), ...AFTER[role].map((json) => ({ json })));
    // The faulted role is set up through settings, as a person would; the roles around it use a
    // provider of their own on the same server, so a tight limit applies to the faulted call alone.
    const steady = new OpenAICompatibleProvider({
      id: 'vllm',
      preset: 'vllm',
      baseURL: server.baseURL,
      idleTimeoutMs: STEADY_NETWORK.idleTimeoutSeconds * 1000,
      headersTimeoutMs: STEADY_NETWORK.headersTimeoutSeconds * 1000,
      retry: { maxRetries: STEADY_NETWORK.maxRetries, maxWaitMs: STEADY_NETWORK.maxRetryWaitSeconds * 1000 },
      onStatus: (status) => statuses.push(`${status.message} (at a role that was not faulted)`),
    });
    const roles = Object.fromEntries(FAULT_ROLES.map((r) => [r, { provider: r === role ? 'vllm' : 'steady', model: MODEL_OF[r], baseURL: server.baseURL }]));
    const router = RoleRouter.fromSettings(
      { roles, network: { ...STEADY_NETWORK, ...scenario.tightLimit } },
      { secrets: new MemorySecretStore(), extraProviders: { steady }, onStatus: (_role, status) => statuses.push(status.message) },
    );
    const before = await snapshotFiles(root);
    const { tree, node } = TaskTree.empty(clock).addChild(null, {
      title: 'Cart.total must round to cents',
      acceptance: ['total() returns at most 2 decimals'],
      budget: 6000,
    });
    const files = new NodeWorkspaceFiles(root);
    const checkpoints = new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey });
    const acceptAll: ReviewPort = {
      review: async (proposal) =>
        proposal.changes.map((c): FileDecision => ({ path: c.path, acceptedHunks: diffHunks(c.before, c.after).map((h) => h.index) })),
    };

    let finalTree: TaskTree;
    let thrown: unknown;
    try {
      finalTree =
        role === 'planner'
          ? (await planTask({ router, engine: world.engine, tree, nodeId: node.id })).tree
          : (await runNode(tree, node.id, { router, engine: world.engine, files, checkpoints, review: acceptAll, applier: new FilesApplier(files) })).tree;
    } catch (error) {
      thrown = error;
      // What the host does on failure (RunSubtaskCommand): the tree it holds, marked failed.
      finalTree = tree.edit(node.id, { state: 'failed', notes: String((error as Error).message) });
    }
    const after = await snapshotFiles(root);
    const calls = server.chatRequests.length;
    const ms = Math.round(performance.now() - started);

    let outcome: FaultCaseResult['outcome'];
    if (scenario.expect.kind === 'recovers') {
      if (thrown) fail(`expected recovery, got ${String(thrown)}`);
      if (statuses.length === 0) fail('no retry status was reported');
      if (!statuses.every((s) => /^(rate limited|server error \d+), retrying in [\d.]+ s \(attempt \d of 3\)$/.test(s)))
        fail(`unexpected status: ${statuses.join(' | ')}`);
      if (calls > BEFORE[role].length + STEADY_NETWORK.maxRetries + 1 + AFTER[role].length) fail(`${calls} calls: more than the bounded retries`);
      if (server.pendingSteps !== 0) fail(`${server.pendingSteps} scripted replies unused`);
      const expected = role === 'planner' ? before : withEditApplied(before, world.editedCartHash);
      if (!sameSnapshot(after, expected)) fail('the files are not exactly the accepted edit applied');
      if (role !== 'planner' && finalTree.get(node.id).state !== 'done') fail(`node state is ${finalTree.get(node.id).state}, not done`);
      outcome = 'recovered';
    } else {
      const { errorClass, message } = scenario.expect;
      if (!(thrown instanceof errorClass)) fail(`expected ${errorClass.name}, got ${thrown === undefined ? 'success' : String(thrown)}`);
      const text = (thrown as Error).message;
      if (!message.test(text)) fail(`message ${JSON.stringify(text.slice(0, 400))} does not match ${message}`);
      if (!text.includes(MODEL_OF[role])) fail(`message does not name the ${role}'s model`);
      if (statuses.length !== 0) fail(`retried a call that must not be retried: ${statuses.join(' | ')}`);
      // The summariser runs after the apply: the whole accepted edit is on disk (never part of it) and
      // the checkpoint taken before it gives the original bytes back. Everyone else failed before it.
      if (role === 'summariser') {
        if (!sameSnapshot(after, withEditApplied(before, world.editedCartHash))) fail('the files are not exactly the accepted edit applied');
        const [checkpoint] = await checkpoints.history();
        if (!checkpoint) fail('no checkpoint was saved before the apply');
        await checkpoints.restore(checkpoint!.id);
        if (!sameSnapshot(await snapshotFiles(root), before)) fail('restoring the checkpoint did not give the original files back');
      } else if (!sameSnapshot(after, before)) {
        fail('the files changed although the failure came before the apply');
      }
      outcome = 'clear-error';
    }
    await checkTreeSaveable(root, finalTree, fail);
    return { role, scenario: scenario.id, outcome, ms, statuses, error: thrown === undefined ? undefined : (thrown as Error).message };
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** The tree the caller holds goes to .baton/tree.json and comes back the same. */
async function checkTreeSaveable(root: string, tree: TaskTree, fail: (problem: string) => never): Promise<void> {
  const store = new TaskTreeStore(new NodeStateStore(join(root, '.baton')), clock);
  await store.save(tree);
  const loaded = await store.load();
  const plain = (t: TaskTree): unknown => JSON.parse(JSON.stringify(t.toSnapshot()));
  if (!isDeepStrictEqual(plain(loaded.tree), plain(tree))) fail('the saved tree did not load back the same');
}

/** sha256 of every workspace file except Baton's own state. */
async function snapshotFiles(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fsp.readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      const path = relative(root, full).split(sep).join('/');
      if (path === '.baton') continue;
      if (entry.isDirectory()) await walk(full);
      else
        found.set(
          path,
          createHash('sha256')
            .update(await fsp.readFile(full))
            .digest('hex'),
        );
    }
  };
  await walk(root);
  return found;
}

/** The snapshot with exactly the maker's one edit applied to shop/cart.py. */
function withEditApplied(before: Map<string, string>, editedCartHash: string): Map<string, string> {
  return new Map(before).set('shop/cart.py', editedCartHash);
}

function sameSnapshot(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([path, hash]) => b.get(path) === hash);
}

// Cancel latency: how long from the person's cancel to the run giving up, in each state a run can
// wait in. Provider states run the maker through runNode; the test command runs through NodeExec
// with a grandchild that must be gone afterwards.
export const CANCEL_STATES = ['connecting', 'retry-wait', 'streaming', 'test-command'] as const;
export type CancelState = (typeof CANCEL_STATES)[number];

export interface CancelSample {
  state: CancelState;
  /** From abort() to the run's promise settling. */
  latencyMs: number;
  /** What the run ended with: the error's message, or the test command's outcome. */
  ended: string;
}

/** Network limits far longer than any cancel, so only the cancel can end the wait. */
const CANCEL_NETWORK = { idleTimeoutSeconds: 30, headersTimeoutSeconds: 30, maxRetries: 2, maxRetryWaitSeconds: 30 } as const;

export async function measureCancel(world: FaultWorld, state: CancelState): Promise<CancelSample> {
  return state === 'test-command' ? measureTestCommandCancel() : measureProviderCancel(world, state);
}

async function measureProviderCancel(world: FaultWorld, state: Exclude<CancelState, 'test-command'>): Promise<CancelSample> {
  const root = mkdtempSync(join(tmpdir(), `baton-cancel-${state}-`));
  cpSync(world.pristine, root, { recursive: true });
  const server = await ScriptedServer.start();
  const controller = new AbortController();
  try {
    server.models = Object.values(MODEL_OF).map((id) => ({ id, max_model_len: 16_000 }));
    const reply: ScriptedReply =
      state === 'connecting'
        ? { fault: 'hang-before-headers' }
        : state === 'retry-wait'
          ? { status: 429, retryAfter: '30' }
          : { json: EDIT, chunkChars: 2, chunkDelayMs: 100 };
    server.enqueue(reply, { json: EDIT });
    let retrying = false;
    const router = RoleRouter.fromSettings(
      { roles: { maker: { provider: 'vllm', model: MODEL_OF.maker, baseURL: server.baseURL } }, network: CANCEL_NETWORK },
      { secrets: new MemorySecretStore(), onStatus: () => (retrying = true) },
    );
    const files = new NodeWorkspaceFiles(root);
    const { tree, node } = TaskTree.empty(clock).addChild(null, { title: 'Cart.total must round to cents', budget: 6000 });
    const run = runNode(tree, node.id, {
      router,
      engine: world.engine,
      files,
      checkpoints: new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey }),
      review: { review: async () => 'reject' },
      applier: new FilesApplier(files),
      signal: controller.signal,
    });
    const settled = run.then(
      () => 'finished without the cancel',
      (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`,
    );
    // Wait until the run is really in the state, then cancel.
    const inState = (): boolean => (state === 'retry-wait' ? retrying : server.chatRequests.length > 0);
    await until(inState, 10_000, `the run never reached the ${state} state`);
    if (state === 'streaming') await delay(250); // a few chunks in
    const abortedAt = performance.now();
    controller.abort();
    const ended = await settled;
    return { state, latencyMs: performance.now() - abortedAt, ended };
  } finally {
    controller.abort();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function measureTestCommandCancel(): Promise<CancelSample> {
  const folder = mkdtempSync(join(tmpdir(), 'baton-cancel-exec-'));
  const controller = new AbortController();
  try {
    // The shell starts a grandchild that would outlive a kill of the shell alone.
    const command = `sh -c 'sleep 30 & echo $! > grandchild.pid; wait'`;
    const result = new NodeExec().run(command, { cwd: folder, signal: controller.signal });
    const pidFile = join(folder, 'grandchild.pid');
    await until(() => readPid(pidFile) !== undefined, 10_000, 'the test command never started its grandchild');
    const grandchild = readPid(pidFile)!;
    const abortedAt = performance.now();
    controller.abort();
    const { outcome } = await result;
    const latencyMs = performance.now() - abortedAt;
    // Killed, not merely orphaned: gone within a second (the kernel may take a moment to reap it).
    await until(() => !isAlive(grandchild), 1_000, `the grandchild ${grandchild} of the test command is still running`);
    return { state: 'test-command', latencyMs, ended: outcome };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed orphan stays a zombie until its new parent reaps it (in a container, PID 1 may never):
  // it no longer runs, which is what counts.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): kill(0) is all we know
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs: number, problem: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(problem);
    await delay(10);
  }
}

/** A RAM-backed temp folder where there is one (Linux /dev/shm): writing many files on disk is slow. */
export function fastTempDir(label: string): string {
  const ramDisk = '/dev/shm';
  try {
    return mkdtempSync(join(ramDisk, `baton-${label}-`));
  } catch {
    return mkdtempSync(join(tmpdir(), `baton-${label}-`));
  }
}

/** Writes `count` tiny Python files under root, 100 per folder, 64 writes at a time. */
export async function writeManyFiles(root: string, count: number): Promise<void> {
  const jobs: { path: string; text: string }[] = [];
  for (let index = 0; index < count; index++) {
    const folder = join(root, `pkg${Math.floor(index / 100)}`);
    if (index % 100 === 0) await fsp.mkdir(folder);
    jobs.push({ path: join(folder, `m${index % 100}.py`), text: `VALUE_${index} = ${index}\n` });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        await fsp.writeFile(job.path, job.text);
      }
    }),
  );
}
