import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { ContextEngine } from '../../src/core/context/engine';
import { formatJournalMarkdown, formatJournalTable } from '../../src/core/run/formatJournal';
import { JournalEventSchema, type NewJournalEvent } from '../../src/core/run/journalEvent';
import { JournalStore, parseJournal } from '../../src/core/run/journalStore';
import { journalEventFromOutcome, journalEventFromRun, journalSubject } from '../../src/core/run/nodeRunJournal';
import { summariseJournal } from '../../src/core/run/summariseJournal';
import { RoleRouter } from '../../src/core/providers/router';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { FilesApplier } from '../../src/core/proposals/filesApplier';
import { diffHunks } from '../../src/core/proposals/hunks';
import { runNode, type NodeRunEvent } from '../../src/core/run/nodeRun';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';
import { testSigningKey } from '../support/checkpointFixtures';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 10, 9, 0, 0);
const subjectA = { taskId: 't1', taskTitle: 'Round totals', nodeId: 't2' };
const subjectB = { taskId: 't9', taskTitle: 'Dotted units', nodeId: 't10' };

function sampleEvents(): NewJournalEvent[] {
  return [
    { ...subjectA, time: T0, kind: 'node', mode: 'delegate', source: 'plan' },
    { ...subjectA, time: T0, nodeId: 't3', kind: 'node', mode: 'keep', reason: 'business rule', source: 'plan' },
    { ...subjectA, time: T0 + 1, kind: 'usage', role: 'maker', model: 'gpt-4o', inputTokens: 1000, outputTokens: 200, cost: 0.0045 },
    { ...subjectA, time: T0 + 2, kind: 'breaker', round: 1, verdict: 'fail', critical: 1, major: 2, minor: 0 },
    { ...subjectA, time: T0 + 3, kind: 'proposal', round: 2, files: 2, hunksAccepted: 3, hunksRejected: 1, matched: { exact: 2, indentation: 1 } },
    { ...subjectA, time: T0 + 4, kind: 'tests', round: 2, passed: false, command: 'pytest', summary: '1 failed' },
    { ...subjectA, time: T0 + 5, kind: 'tests', round: 3, passed: true, command: 'pytest', summary: '3 passed' },
    { ...subjectA, time: T0 + 6, kind: 'outcome', outcome: 'done' },
    { ...subjectB, time: T0 + 2 * DAY, kind: 'node', mode: 'delegate', source: 'run' },
    { ...subjectB, time: T0 + 2 * DAY, kind: 'usage', role: 'maker', model: 'qwen', inputTokens: 500, outputTokens: 50, cost: 0 },
    { ...subjectB, time: T0 + 2 * DAY + 1, kind: 'proposal', round: 1, files: 1, hunksAccepted: 0, hunksRejected: 2 },
    { ...subjectB, time: T0 + 2 * DAY + 2, kind: 'outcome', outcome: 'rejected' },
  ];
}

async function storeWith(events: NewJournalEvent[]): Promise<{ dir: string; store: JournalStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-journal-'));
  const store = new JournalStore(new NodeStateStore(join(dir, '.baton')), { now: () => T0 });
  await store.append(events);
  return { dir, store };
}

describe('journal: schema and store', () => {
  it('stamps, validates and appends events as JSON lines, never rewriting earlier ones', async () => {
    const { dir, store } = await storeWith(sampleEvents().slice(0, 3));
    const firstText = readFileSync(join(dir, '.baton/journal.jsonl'), 'utf8');
    await store.append(sampleEvents().slice(3));
    const text = readFileSync(join(dir, '.baton/journal.jsonl'), 'utf8');
    assert.ok(text.startsWith(firstText), 'earlier lines stay as they were');
    assert.equal(text.trim().split('\n').length, 12);
    const loaded = await store.load();
    assert.equal(loaded.events.length, 12);
    assert.deepEqual(loaded.unreadable, []);
    assert.equal(loaded.events[0]!.v, 1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invalid event before writing anything', async () => {
    const { dir, store } = await storeWith([]);
    await assert.rejects(store.append([{ ...subjectA, kind: 'usage', role: 'maker', model: 'x', inputTokens: -1, outputTokens: 0, cost: 0 }]));
    assert.equal(existsSync(join(dir, '.baton/journal.jsonl')), false);
    assert.equal(
      JournalEventSchema.safeParse({ v: 1, time: 1, ...subjectA, kind: 'tests', round: 1, passed: 'yes', command: 'x', summary: '' }).success,
      false,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports lines it cannot read by number and keeps the rest (a cut line, a newer version)', () => {
    const good = JSON.stringify({ v: 1, time: T0, ...subjectA, kind: 'outcome', outcome: 'done' });
    const loaded = parseJournal(`${good}\n{"v":1,"time":\n${JSON.stringify({ v: 2, time: T0, ...subjectA, kind: 'outcome', outcome: 'done' })}\n${good}\n`);
    assert.equal(loaded.events.length, 2);
    assert.deepEqual(
      loaded.unreadable.map((u) => u.line),
      [2, 3],
    );
    assert.match(loaded.unreadable[0]!.problem, /not JSON/);
  });

  it('an append after a line cut by a crash starts on a new line', async () => {
    const { dir, store } = await storeWith(sampleEvents().slice(0, 1));
    appendFileSync(join(dir, '.baton/journal.jsonl'), '{"v":1,"ti');
    await store.append(sampleEvents().slice(1, 2));
    const loaded = await store.load();
    assert.equal(loaded.events.length, 2);
    assert.equal(loaded.unreadable.length, 1);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('journal: summaries', () => {
  const events = () => sampleEvents().map((e) => JournalEventSchema.parse({ ...e, v: 1 }));

  it('gives the figures in total, per task (newest first) and per day', () => {
    const s = summariseJournal(events());
    assert.equal(s.events, 12);
    assert.deepEqual(
      { ...s.total },
      {
        nodesDelegated: 2,
        nodesKept: 1,
        nodesDone: 1,
        proposals: 2,
        hunksAccepted: 3,
        hunksRejected: 3,
        searchBlocks: { exact: 2, 'trailing-whitespace': 0, indentation: 1, 'blank-lines': 0, elision: 0 },
        breakerReviews: 1,
        breakerFails: 1,
        findings: { critical: 1, major: 2, minor: 0 },
        testRuns: 2,
        testFailures: 1,
        calls: 2,
        inputTokens: 1500,
        outputTokens: 250,
        cost: 0.0045,
      },
    );
    assert.deepEqual(
      s.tasks.map((t) => [t.taskId, t.title, t.figures.nodesDelegated, t.figures.nodesKept]),
      [
        ['t9', 'Dotted units', 1, 0],
        ['t1', 'Round totals', 1, 1],
      ],
    );
    assert.deepEqual(
      s.days.map((d) => [d.day, d.figures.calls]),
      [
        ['2025-01-10', 1],
        ['2025-01-12', 1],
      ],
    );
  });

  it('counts a node once, as its latest decision says', () => {
    const flipped = [
      ...events(),
      JournalEventSchema.parse({ v: 1, time: T0 + 10, ...subjectA, nodeId: 't3', kind: 'node', mode: 'delegate', source: 'person' }),
    ];
    const s = summariseJournal(flipped);
    assert.equal(s.tasks.find((t) => t.taskId === 't1')!.figures.nodesDelegated, 2);
    assert.equal(s.tasks.find((t) => t.taskId === 't1')!.figures.nodesKept, 0);
  });

  it('since leaves older events out; byTask: false leaves the per-task rows out', () => {
    const s = summariseJournal(events(), { since: new Date(T0 + DAY), byTask: false });
    assert.equal(s.events, 4);
    assert.deepEqual(s.tasks, []);
    assert.equal(s.total.hunksRejected, 2);
    assert.equal(s.since, T0 + DAY);
  });

  it('formats a table and a Markdown document with the same figures', () => {
    const s = summariseJournal(events());
    const table = formatJournalTable(s);
    assert.match(table, /^task\s+delegated\s+kept\s+done\s+hunks \+\/-\s+accepted\s+loose matches/m);
    assert.match(table, /^Round totals \(t1\)\s+1\s+1\s+1\s+3\/1\s+75%\s+1\/3\s+1\/1\s+1\/2\/0\s+1\/2\s+1\s+1000\/200\s+\$0\.0045$/m);
    assert.match(table, /^TOTAL\s+2\s+1\s+1\s+3\/3\s+50%\s+1\/3/m);
    assert.match(table, /^Search blocks: 2 matched exactly, 1 matched ignoring indentation\.$/m);
    const md = formatJournalMarkdown(s);
    assert.match(md, /^\| Round totals \(`t1`\) \| 1 \| 1 \| 1 \| 3\/1 \| 75% \| 1\/3 \|/m);
    assert.match(md, /^Search blocks: 2 matched exactly, 1 matched ignoring indentation\.$/m);
    assert.match(formatJournalTable(summariseJournal([])), /No journal events/);
  });
});

describe('journal: events from a node run (runNode onEvent)', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'baton-journal-run-'));
    cpSync(join(__dirname, '..', 'fixtures', 'pyshop'), root, { recursive: true });
    server = await ScriptedServer.start();
    server.models = [
      { id: 'maker-model', max_model_len: 16000 },
      { id: 'reviewer-model', max_model_len: 16000 },
    ];
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('records calls, the breaker finding, the review and the tests, in order', async () => {
    const search = '        return subtotal + compute_tax(subtotal, self.region)';
    server.enqueue(
      {
        json: {
          summary: 'a',
          edits: [{ kind: 'replace', path: 'shop/cart.py', search, replace: '        return round(subtotal + compute_tax(subtotal, self.region), 2)' }],
        },
      },
      { json: { verdict: 'fail', findings: [{ file: 'shop/cart.py', line: 28, severity: 'major', problem: 'banker rounding', edgeCase: '0.125' }] } },
      {
        json: {
          summary: 'b',
          edits: [{ kind: 'replace', path: 'shop/cart.py', search, replace: '        return round(subtotal + compute_tax(subtotal, self.region) + 1e-9, 2)' }],
        },
      },
      { json: { verdict: 'pass', findings: [] } },
    );
    const clock = { now: () => Date.now() };
    const files = new NodeWorkspaceFiles(root);
    const { tree, node } = TaskTree.empty(clock).addChild(null, { title: 'Cart.total rounds to cents', budget: 6000 });
    const seen: NodeRunEvent[] = [];
    const result = await runNode(tree, node.id, {
      router: RoleRouter.fromSettings(
        {
          roles: {
            maker: { provider: 'vllm', model: 'maker-model', baseURL: server.baseURL },
            breaker: { provider: 'vllm', model: 'reviewer-model', baseURL: server.baseURL },
          },
        },
        { secrets: new MemorySecretStore() },
      ),
      engine: await ContextEngine.open(root),
      files,
      checkpoints: new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey }),
      review: { review: async (p) => p.changes.map((c) => ({ path: c.path, acceptedHunks: diffHunks(c.before, c.after).map((h) => h.index) })) },
      applier: new FilesApplier(files),
      tests: { command: 'pytest -q', run: async () => ({ passed: true, summary: '3 passed', output: '', forMaker: '' }) },
      onEvent: (e) => seen.push(e),
    });
    assert.equal(result.outcome.kind, 'done');
    assert.deepEqual(
      seen.map((e) => (e.kind === 'call' ? `call:${e.role}` : e.kind)),
      ['call:maker', 'call:breaker', 'breaker', 'call:maker', 'call:breaker', 'breaker', 'review', 'tests'],
    );

    const subject = journalSubject(result.tree, node.id);
    const journal = [...seen.map((e) => journalEventFromRun(subject, e)), journalEventFromOutcome(subject, result.outcome.kind)];
    const s = summariseJournal(journal.map((e) => JournalEventSchema.parse({ ...e, v: 1, time: T0 })));
    assert.equal(s.total.calls, 4);
    assert.equal(s.total.inputTokens, result.tree.get(node.id).usage.inputTokens, 'the journal counts what the node records');
    assert.deepEqual(s.total.findings, { critical: 0, major: 1, minor: 0 });
    assert.equal(s.total.breakerFails, 1);
    assert.equal(s.total.hunksAccepted, 1);
    assert.equal(s.total.searchBlocks.exact, 1, "the reviewed proposal's one search block matched exactly");
    assert.equal(s.total.testRuns, 1);
    assert.equal(s.total.nodesDone, 1);
  });
});

describe('baton journal (the built CLI, end to end)', () => {
  const rootDir = join(__dirname, '..', '..');
  const cli = join(rootDir, 'dist', 'cli.js');
  before(function () {
    this.timeout(120_000);
    if (!existsSync(cli)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: rootDir, stdio: 'inherit' });
  });

  it('prints the table per task and per day, honours --since, and writes --json', async () => {
    const { dir } = await storeWith(sampleEvents());
    const out = join(dir, 'journal.json');
    const run = spawnSync(process.execPath, [cli, 'journal', '--repo', dir, '--json', out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Journal: 12 events/);
    assert.match(run.stdout, /^Dotted units \(t9\)\s+1\s+0\s+0\s+0\/2\s+0%/m);
    assert.match(run.stdout, /^2025-01-12\s+1/m);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(json.total.hunksAccepted, 3);
    assert.equal(json.tasks.length, 2);

    const since = spawnSync(process.execPath, [cli, 'journal', '--repo', dir, '--since', '2025-01-11'], { encoding: 'utf8' });
    assert.equal(since.status, 0, since.stderr);
    assert.match(since.stdout, /Journal: 4 events since 2025-01-11/);
    assert.doesNotMatch(since.stdout, /Round totals/);

    const bad = spawnSync(process.execPath, [cli, 'journal', '--repo', dir, '--since', 'yesterdayish'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--since must be a date/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says so when there is no journal yet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-journal-empty-'));
    mkdirSync(join(dir, '.baton'));
    writeFileSync(join(dir, '.baton', 'tree.json'), '');
    const run = spawnSync(process.execPath, [cli, 'journal', '--repo', dir], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /No journal events/);
    rmSync(dir, { recursive: true, force: true });
  });
});
