#!/usr/bin/env node
// Speed and memory of the context engine on a large repository. See USAGE below.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listFiles, readTree } from './readTree.mjs';
import { bundleRunner } from './bundleRunner.mjs';
import { positiveWholeNumber, usageFailure } from './options.mjs';

const USAGE = `Usage: npm run bench:speed -- TREE [--runs N] [--budget N] [--model M] [--task TEXT]... [--json FILE] [--profile]
       node bench/speed.mjs TREE [options]

Measures the context engine on the folder TREE (a checkout of a large project, outside this repo):
  cold    N fresh processes with no index cache, each: open (scan + index) then one plan; wall
          times, peak RSS, and in the same process a plain read of every file of TREE (the baseline)
  cached  what a second \`baton context\` on the unchanged TREE does: N fresh processes, each opening
          with a warm index cache on disk (written by one earlier run of task 1), planning, and saving
          the cache; once with task 1 again ("same task") and once with task 2 ("other task"), each
          run on a fresh copy of that cache. Cold and cached runs take turns, so their ratio holds
          on a busy machine.
  warm    one process: open once, then N plans of each task (index kept, task changed)

Options:
  --runs N      cold processes and warm rounds (default 5)
  --budget N    token budget of every plan (default 16000)
  --model M     model naming the tokenizer (default: the engine's, cl100k_base)
  --task TEXT   a task to plan (repeatable); by default five tasks are derived from TREE itself:
                a class.method, a stack trace with real paths and lines, a thrown error's message,
                and two prose feature requests. The first task is the cold one.
  --json FILE   also write every raw number as JSON
  --profile     write a V8 CPU profile of the warm process to bench/results/profiles/

Getting a TREE: any big TypeScript project works; the README's numbers use a plain export of
payload (payloadcms/payload, ~8,900 files, ~6,900 of them .ts/.tsx) at a fixed commit, with no .git
and no node_modules:
  git init -q /tmp/payload-git && cd /tmp/payload-git
  git fetch --depth 1 https://github.com/payloadcms/payload db7543c2121f0b672e33436447122b5e09ea4f2b
  mkdir -p /tmp/bench-ts/payload && git archive FETCH_HEAD | tar -x -C /tmp/bench-ts/payload
  cd - && npm run bench:speed -- /tmp/bench-ts/payload
(The engine is bundled from the current src/ on every run: no npm run build needed.)`;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');

function parse() {
  const { values: o, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '5' },
      budget: { type: 'string', default: '16000' },
      model: { type: 'string' },
      task: { type: 'string', multiple: true },
      json: { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (o.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (v, flag) => positiveWholeNumber(v, flag, fail);
  if (positionals.length !== 1) fail('Give exactly one TREE folder.');
  const root = resolve(positionals[0]);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) fail(`${root} is not a folder.`);
  return { root, runs: int(o.runs, '--runs'), budget: int(o.budget, '--budget'), model: o.model, tasks: o.task, json: o.json, profile: o.profile };
}

const fail = usageFailure('bench:speed', USAGE);

/** Bundles the runner (engine included) from the current sources, like esbuild.mjs does the CLI. */
function buildRunner() {
  // Outside dist/, syntax.ts's defaultWasmDir() finds the grammars in node_modules (resolved from the bundle).
  return bundleRunner(join(here, 'speedRunner.ts'), join(repoRoot, 'out/bench/speedRunner.cjs'));
}

// ---------------------------------------------------------------------------------------------
// Tasks derived from the tree, so they are realistic for whatever project is measured: a name
// defined in it, a stack trace through real functions at real lines, a message it really throws.

const GENERATED = /(^|\/)(node_modules|dist|build|out|coverage|\.next|\.turbo|\.cache|vendor)\//;
const TESTISH = /(^|\/)(test|tests|__tests__|__mocks__|e2e|fixtures?|examples?|templates?)\/|\.(test|spec|stories)\.tsx?$|\.d\.ts$/;
const KEYWORDS = new Set(['constructor', 'if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'super', 'await', 'typeof', 'else']);

function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function deriveTasks(root) {
  const candidates = listFiles(root)
    .filter((p) => /\.tsx?$/.test(p) && !GENERATED.test(p) && !TESTISH.test(p))
    .sort((a, b) => fnv(a) - fnv(b) || (a < b ? -1 : 1));
  let klass;
  let thrown;
  const frames = [];
  for (const path of candidates) {
    if (klass && thrown && frames.length >= 3) break;
    const text = readFileSync(join(root, path), 'utf8');
    if (text.length > 200_000) continue;
    const lines = text.split('\n');
    if (!klass) {
      const c = /^export\s+(?:default\s+)?(?:abstract\s+)?class\s+([A-Z][\w$]{3,})/m.exec(text);
      if (c) {
        const rest = text.slice(c.index);
        const methods = [...rest.matchAll(/^\s+(?:(?:public|protected|static|async|override)\s+)*([a-z][\w$]{3,})\s*(?:<[^>\n]*>)?\(/gm)]
          .map((m) => m[1])
          .filter((m) => !KEYWORDS.has(m));
        if (methods.length) klass = { name: c[1], method: methods[Math.min(1, methods.length - 1)], path };
      }
    }
    if (!thrown) {
      const t = /throw new ([A-Z]\w*Error)\(\s*(['"`])([^'"`$\\\n]{24,120})\2/.exec(text);
      if (t) thrown = { type: t[1], message: t[3], path };
    }
    if (frames.length < 3) {
      const i = lines.findIndex(
        (l) =>
          /^\s*(?:export\s+)?(?:async\s+)?function\s+[A-Za-z_$]/.test(l) ||
          /^\s*(?:export\s+)?const\s+[A-Za-z_$][\w$]*\s*(?::[^=]+)?=\s*(?:async\s*)?\(/.test(l),
      );
      if (i >= 0 && i + 2 < lines.length) {
        const name = /(?:function\s+|const\s+)([A-Za-z_$][\w$]*)/.exec(lines[i])[1];
        frames.push({ name, path, line: i + 3, async: /\basync\b/.test(lines[i]) });
      }
    }
  }
  const project = basename(root);
  const tasks = [];
  if (klass)
    tasks.push(
      `${klass.name}.${klass.method} can hang forever when the backend does not answer. Add an optional timeout to it that rejects with a clear error, and update its callers.`,
    );
  if (frames.length) {
    const trace = frames
      .map((f, i) => `    at ${i && f.async ? 'async ' : ''}${f.name} (/home/dev/src/${project}/${f.path}:${f.line}:${11 + 4 * i})`)
      .join('\n');
    tasks.push(
      `Saving a document with an empty relationship field crashes the server:\n\nTypeError: Cannot read properties of undefined (reading 'id')\n${trace}\n` +
        `    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n\nFind the cause and fix it.`,
    );
  }
  if (thrown)
    tasks.push(
      `Users keep hitting "${thrown.type}: ${thrown.message}" and do not know what to change. Find where it is thrown and make the message name the offending value and how to fix it.`,
    );
  tasks.push(
    'Add rate limiting to the HTTP API: a client making more than 100 requests per minute should get a 429 response with a Retry-After header. ' +
      'The limit must be configurable per endpoint in the config, and authenticated admin users should be exempt.',
    'Config validation stops at the first invalid option. Make it collect every error at once and report each with the path of the offending field, ' +
      'so that a user fixing their configuration sees all problems in one run.',
  );
  return tasks;
}

// ---------------------------------------------------------------------------------------------

function runChild(runner, mode, configPath, extraNodeArgs = [], extraArgs = []) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', ...extraNodeArgs, runner, mode, configPath, ...extraArgs], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - t;
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (r.status !== 0 || !line) {
    process.stderr.write(`bench:speed: the ${mode} process failed (exit ${r.status}, signal ${r.signal}):\n${r.stderr}\n`);
    process.exit(1);
  }
  return { wallMs, ...JSON.parse(line.slice('BENCH_RESULT '.length)) };
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
function median(xs) {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });
const ms = (n) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const mb = (n) => `${Math.round(n)} MB`;
const x = (n) => `${n.toFixed(1)}×`;
/** A table row: the label, then the median, min and max of `values` as `format` writes them. */
const statRow = (label, values, format) => {
  const { median: m, min, max } = stat(values);
  return [label, format(m), format(min), format(max)];
};

function table(rows) {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[0]) : c.padStart(widths[i])))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

async function main() {
  const opt = parse();
  const tasks = opt.tasks?.length ? opt.tasks : deriveTasks(opt.root);
  const runner = await buildRunner();
  const configPath = join(tmpdir(), `baton-bench-${process.pid}.json`);
  writeFileSync(configPath, JSON.stringify({ root: opt.root, budget: opt.budget, model: opt.model, tasks, runs: opt.runs }));

  // Every run then reads from the page cache: "cold" means a fresh process with no index, not a cold disk.
  const warmup = await readTree(opt.root);
  process.stderr.write(
    `bench:speed: ${warmup.files} files, ${(warmup.bytes / 1048576).toFixed(1)} MB in ${opt.root}; ${tasks.length} tasks; ${opt.runs} runs\n`,
  );

  // The index cache as one earlier run of task 1 left it; each cached run gets a fresh copy.
  const cacheRoot = mkdtempSync(join(tmpdir(), 'baton-bench-cache-'));
  const primed = join(cacheRoot, 'primed');
  const prime = runChild(runner, 'cached', configPath, [], [primed, '0']);
  const otherTask = tasks.length > 1 ? 1 : 0;
  const cachedRun = (task, i) => {
    const folder = join(cacheRoot, `run-${task}-${i}`);
    cpSync(primed, folder, { recursive: true });
    const result = runChild(runner, 'cached', configPath, [], [folder, String(task)]);
    rmSync(folder, { recursive: true, force: true });
    return result;
  };
  const cold = [];
  const same = [];
  const other = [];
  for (let i = 0; i < opt.runs; i++) {
    cold.push(runChild(runner, 'cold', configPath));
    same.push(cachedRun(0, i));
    other.push(cachedRun(otherTask, i));
    process.stderr.write(
      `  ${i + 1}/${opt.runs}: cold ${ms(cold.at(-1).wallMs)}, cached same task ${ms(same.at(-1).wallMs)}, other task ${ms(other.at(-1).wallMs)} (process wall)\n`,
    );
  }
  rmSync(cacheRoot, { recursive: true, force: true });
  const profileDir = join(repoRoot, 'bench/results/profiles');
  if (opt.profile) mkdirSync(profileDir, { recursive: true });
  const warm = runChild(runner, 'warm', configPath, opt.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  process.stderr.write(`  warm: ${warm.plans.length} plans\n\n`);

  const s = cold[0].stats;
  const skipped = Object.entries(s.skipped)
    .map(([reason, n]) => `${reason} ${n.files}${n.folders ? ` (+${n.folders} folders)` : ''}`)
    .join(', ');
  const ratio = cold.map((c) => c.totalMs / c.baseline.ms);
  const planMs = warm.plans.map((p) => p.ms);
  const cachedRows = (label, runs) => [
    statRow(
      `${label}: process wall (spawn to exit)`,
      runs.map((c) => c.wallMs),
      ms,
    ),
    statRow(
      `${label}: open (scan + read cache + index)`,
      runs.map((c) => c.openMs),
      ms,
    ),
    statRow(
      `${label}: plan`,
      runs.map((c) => c.plan.ms),
      ms,
    ),
    statRow(
      `${label}: save the cache`,
      runs.map((c) => c.saveMs),
      ms,
    ),
    statRow(
      `${label}: cold wall / this wall`,
      runs.map((c, i) => cold[i].wallMs / c.wallMs),
      x,
    ),
    statRow(
      `${label}: peak RSS`,
      runs.map((c) => c.maxRssMB),
      mb,
    ),
  ];
  const rows = [
    ['', 'median', 'min', 'max'],
    statRow(
      'cold: process wall (spawn to exit)',
      cold.map((c) => c.wallMs),
      ms,
    ),
    statRow(
      'cold: Node start + load bundle',
      cold.map((c) => c.startupMs),
      ms,
    ),
    statRow(
      'cold: open (scan + index)',
      cold.map((c) => c.openMs),
      ms,
    ),
    statRow(
      'cold: first plan (rank + chunk + pack)',
      cold.map((c) => c.plan.ms),
      ms,
    ),
    statRow(
      'cold: open + plan',
      cold.map((c) => c.totalMs),
      ms,
    ),
    statRow(
      'cold: baseline, read every file',
      cold.map((c) => c.baseline.ms),
      ms,
    ),
    statRow('cold: open + plan / baseline', ratio, x),
    statRow(
      'cold: peak RSS',
      cold.map((c) => c.maxRssMB),
      mb,
    ),
    statRow(
      'cold: heap kept after plan',
      cold.map((c) => c.afterPlan.heapUsedMB),
      mb,
    ),
    ...cachedRows('cached, same task', same),
    ...cachedRows('cached, other task', other),
    ['warm: scan alone (walk, read, decode)', ms(warm.scanMs)],
    ['warm: open', ms(warm.openMs)],
    ['warm: first plan after open', ms(warm.first.ms)],
    statRow(`warm: re-plan (${tasks.length} tasks × ${opt.runs})`, planMs, ms),
    ...tasks.map((_, i) => {
      const p = warm.plans.filter((q) => q.task === i);
      return [`  task ${i + 1}: plan | rank | pack`, ms(median(p.map((q) => q.ms))), ms(median(p.map((q) => q.rankMs))), ms(median(p.map((q) => q.packMs)))];
    }),
    ['warm: heap after open | first plan | all', mb(warm.afterOpen.heapUsedMB), mb(warm.afterFirst.heapUsedMB), mb(warm.afterPlans.heapUsedMB)],
    ['warm: peak RSS', mb(warm.maxRssMB)],
  ];
  const cpu = cpus()[0]?.model ?? '?';
  console.log(`Baton context engine, speed and memory: ${opt.root}`);
  console.log(
    `tree: ${warmup.files} files, ${(warmup.bytes / 1048576).toFixed(1)} MB; indexed ${s.files} files, ${(s.bytes / 1048576).toFixed(1)} MB; ${s.definedNames} defined names`,
  );
  console.log(`skipped: ${skipped || 'nothing'}`);
  console.log(
    `budget ${opt.budget}, ${opt.runs} runs, tree-sitter ${warm.treeSitter}; node ${process.version}, ${availableParallelism()} CPUs (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GB`,
  );
  const reuse = (c) =>
    `${c.cache.filesReused}/${c.cache.filesReused + c.cache.filesIndexed} files, graph ${c.cache.graphReused ? 'reused' : 'rebuilt'}, extents ${c.cache.extentsReused} reused ${c.cache.extentsParsed} parsed`;
  console.log(
    `index cache: primed in ${ms(prime.wallMs)} (wrote ${prime.cache.written.join(', ')}); same task took ${reuse(same[0])}; other task took ${reuse(other[0])}`,
  );
  console.log('');
  console.log(table(rows));
  console.log('');
  tasks.forEach((t, i) =>
    console.log(`task ${i + 1}: ${t.replace(/\s+/g, ' ').slice(0, 150)}${t.length > 150 ? '…' : ''}  -> top: ${warm.plans.find((p) => p.task === i)?.top}`),
  );

  if (opt.json) {
    const meta = {
      root: opt.root,
      budget: opt.budget,
      model: opt.model ?? null,
      runs: opt.runs,
      node: process.version,
      cpus: availableParallelism(),
      cpu,
      date: new Date().toISOString(),
    };
    mkdirSync(dirname(resolve(opt.json)), { recursive: true });
    writeFileSync(opt.json, JSON.stringify({ meta, tree: warmup, tasks, cold, cached: { prime, same, other }, warm }, null, 1));
    console.log(`\nraw numbers: ${opt.json}`);
  }
  if (opt.profile) console.log(`CPU profile of the warm process: ${profileDir}`);
}

await main();
