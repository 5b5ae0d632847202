import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const pyshop = join(root, 'test', 'fixtures', 'pyshop');
// Every run keeps its index cache in a folder of its own, never in the person's home.
const cacheHome = mkdtempSync(join(tmpdir(), 'baton-cli-cache-'));
const batonWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env } });
const baton = (...args: string[]) => batonWith({}, ...args);

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

// The plan most tests here ask for: the pyshop fixture, a task about Inventory.reserve, 700 tokens.
const RESERVE_PLAN = ['context', '--repo', pyshop, '--task', 'Inventory.reserve raises OutOfStockError even when enough stock is left', '--budget', '700'];

describe('baton context (the built CLI, end to end)', () => {
  before(function () {
    this.timeout(120_000);
    if (!existsSync(cli)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  });

  it('prints the ledger and writes ranking, prompt, context and ledger as JSON', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'baton-cli-')), 'plan.json');
    const run = baton(...RESERVE_PLAN, '--json', out);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^tier\s+tokens\s+score\s+item\s+why$/m);
    assert.match(run.stdout, /shop\/inventory\.py/);
    assert.match(run.stdout, /= \d+ of 700 tokens \(70 more kept for the answer; cl100k_base\)/);

    const plan = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(plan.ranking[0], 'shop/inventory.py');
    assert.ok(getEncoding('cl100k_base').encode(plan.prompt, 'all').length <= 700 - 70, 'the prompt fits the budget less the answer reserve');
    assert.equal(plan.ledger.used, getEncoding('cl100k_base').encode(plan.prompt, 'all').length, 'the ledger counts the prompt exactly');
    for (const { path, ranges } of plan.context) {
      const lines = readFileSync(join(pyshop, path), 'utf8').split('\n');
      for (const [s, e] of ranges) assert.ok(plan.prompt.includes(lines.slice(s - 1, e).join('\n')), `${path}:${s}-${e} verbatim`);
    }
  });

  it('--explain says under each item why it is shown as it is, and why each range', () => {
    const run = baton(...RESERVE_PLAN, '--explain');
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const row = lines.findIndex((l) => /^\S+\s+\d+\s+[\d.]+\s+shop\/inventory\.py/.test(l));
    assert.ok(row > 0, run.stdout);
    assert.match(lines[row + 1]!, /^ {4}(whole: every line was worth its tokens|\d+ of \d+ lines, where the evidence points)/);
    assert.ok(
      lines.slice(row + 1).some((l) => /^ {4}lines \d+(-\d+)?: .*(reserve|OutOfStockError|Inventory)/.test(l)),
      run.stdout,
    );
  });

  it('counts with the model family tokenizer', () => {
    const run = baton('context', '--repo', pyshop, '--task', 'compute_tax rounding', '--budget', '2000', '--model', 'gpt-4o');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /o200k_base\)/);
  });

  it('keeps the index in the per-user cache folder, outside the repository, and a second run reuses it', () => {
    const repo = mkdtempSync(join(tmpdir(), 'baton-cli-repo-'));
    cpSync(pyshop, repo, { recursive: true });
    const home = mkdtempSync(join(tmpdir(), 'baton-cli-xdg-'));
    const before = filesUnder(repo);
    const args = ['context', '--repo', repo, '--task', 'Inventory.reserve raises OutOfStockError', '--budget', '700', '--print-prompt'];
    const first = batonWith({ XDG_CACHE_HOME: home }, ...args);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(filesUnder(repo), before, 'nothing is written in the repository');
    const cached = filesUnder(join(home, 'baton', 'index'));
    assert.deepEqual(cached.map((f) => f.split('/').pop()).sort(), ['extents', 'index', 'tokens']);
    const second = batonWith({ XDG_CACHE_HOME: home }, ...args);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout, 'the same ledger and prompt');
  });

  it('--index-cache DIR keeps the cache there; --no-index-cache keeps none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-cli-dir-'));
    const home = mkdtempSync(join(tmpdir(), 'baton-cli-xdg-'));
    const task = ['--repo', pyshop, '--task', 'compute_tax rounding', '--budget', '700'];
    assert.equal(batonWith({ XDG_CACHE_HOME: home }, 'context', ...task, '--index-cache', dir).status, 0);
    assert.equal(filesUnder(dir).length, 3);
    assert.equal(batonWith({ XDG_CACHE_HOME: home }, 'context', ...task, '--no-index-cache').status, 0);
    assert.deepEqual(readdirSync(home), [], 'nothing was cached in the default folder');
  });

  for (const [args, message] of [
    [['context', '--task', 'x', '--budget', '10'], /--repo DIR is required/],
    [['context', '--repo', pyshop, '--budget', '10'], /exactly one of --task TEXT or --task-file FILE/],
    [['context', '--repo', pyshop, '--task', 'x', '--budget', 'many'], /--budget must be a positive whole number, not "many"/],
    [['context', '--repo', '/no/such/dir', '--task', 'x', '--budget', '10'], /--repo \/no\/such\/dir is not a folder/],
    [['context', '--repo', pyshop, '--task', 'x', '--budget', '10', '--colour'], /Unknown option '--colour'/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [
      ['context', '--repo', pyshop, '--task', 'x', '--budget', '10', '--index-cache', '/tmp/x', '--no-index-cache'],
      /--index-cache DIR or --no-index-cache, not both/,
    ],
  ] as const) {
    it(`exits 2 with the usage for: ${args.join(' ')}`, () => {
      const run = baton(...args);
      assert.equal(run.status, 2);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage: baton <command>/);
    });
  }
});
