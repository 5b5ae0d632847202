// The measured side of bench/reliability.mjs, bundled by it with esbuild:
//   node out/bench/reliabilityRunner.cjs core CONFIG.json    fault matrix, cancel latency, checkpoint sequences
//   node out/bench/reliabilityRunner.cjs scan CONFIG.json    a many-file workspace: scan time and peak RSS;
//                                                            then a folder nested `deep` levels: scan time
// (the scan runs in its own process so its peak RSS is its own). The result is one JSON line on
// stdout prefixed with RESULT_PREFIX.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointStore } from '../src/core/checkpoints/checkpointStore';
import { scanWorkspace } from '../src/core/context/scan';
import { MemoryStateStore, MemoryWorkspaceFiles, sameBytes, steppingClock, testSigningKey } from '../test/support/checkpointFixtures';
import {
  CANCEL_STATES,
  FAULT_ROLES,
  FAULT_SCENARIOS,
  fastTempDir,
  measureCancel,
  openFaultWorld,
  runFaultCase,
  writeManyFiles,
  type CancelState,
} from '../test/support/faultMatrix';

const RESULT_PREFIX = 'BENCH_RESULT ';

interface Config {
  cancelRuns: number;
  checkpointSequences: number;
  files: number;
  /** Levels of the nested folder chain that is scanned. */
  deep: number;
  /** test/fixtures/pyshop: the bundle's __dirname is not the source folder's. */
  fixture: string;
}

async function core(config: Config): Promise<unknown> {
  const world = await openFaultWorld(config.fixture);
  try {
    const faults: { role: string; scenario: string; outcome: string; ms: number; problem?: string }[] = [];
    for (const role of FAULT_ROLES) {
      for (const scenario of FAULT_SCENARIOS) {
        try {
          const result = await runFaultCase(world, role, scenario);
          faults.push({ role, scenario: scenario.id, outcome: result.outcome, ms: result.ms });
        } catch (error) {
          faults.push({ role, scenario: scenario.id, outcome: 'failed', ms: 0, problem: (error as Error).message });
        }
      }
    }
    const cancel: Record<string, number[]> = {};
    const cancelProblems: string[] = [];
    for (const state of CANCEL_STATES) {
      cancel[state] = [];
      for (let run = 0; run < config.cancelRuns; run++) {
        try {
          cancel[state]!.push((await measureCancel(world, state as CancelState)).latencyMs);
        } catch (error) {
          cancelProblems.push(`${state}: ${(error as Error).message}`);
        }
      }
    }
    const checkpoints = await checkpointSequences(config.checkpointSequences);
    return { faults, cancel, cancelProblems, checkpoints };
  } finally {
    world.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Checkpoint sequences: random steps that create, modify and delete text and binary files, each
// behind a checkpoint; restoring a random one must give back exactly the files before its step.

const PATHS = ['a.txt', 'b.bin', 'src/c.ts', 'src/deep/d.bin', 'fresh/e.txt'];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function checkpointSequences(count: number): Promise<{ sequences: number; restored: number; steps: number; problems: string[] }> {
  let restored = 0;
  let steps = 0;
  const problems: string[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const bytes = (): Uint8Array => Uint8Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256));
    const files = new MemoryWorkspaceFiles();
    for (const path of PATHS) if (next() < 0.5) files.files.set(path, bytes());
    const store = new CheckpointStore({ files, state: new MemoryStateStore(), clock: steppingClock(), key: testSigningKey });
    const taken: { id: string; before: Map<string, Uint8Array> }[] = [];
    const stepCount = 1 + Math.floor(next() * 5);
    for (let step = 0; step < stepCount; step++) {
      const touched = [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(PATHS)))];
      const before = files.snapshot();
      const id = await store.create({ nodeId: pick(['A', 'B', 'C']), label: `step ${step}`, paths: touched });
      for (const path of touched) {
        if (next() < 0.25) await files.delete(path);
        else await files.write(path, bytes());
      }
      await store.recordAfter(id);
      taken.push({ id, before });
      steps++;
    }
    const target = pick(taken);
    try {
      await store.restore(target.id);
      const now = files.snapshot();
      const same =
        now.size === target.before.size &&
        [...target.before].every(([path, content]) => {
          const got = now.get(path);
          return got !== undefined && sameBytes(got, content);
        });
      if (same) restored++;
      else problems.push(`seed ${seed}: the files after the restore differ from before the step`);
    } catch (error) {
      problems.push(`seed ${seed}: ${(error as Error).message}`);
    }
  }
  return { sequences: count, restored, steps, problems: problems.slice(0, 5) };
}

async function scan(config: Config): Promise<unknown> {
  const root = fastTempDir('bench-many-files');
  try {
    const generatedAt = performance.now();
    await writeManyFiles(root, config.files);
    const generateMs = performance.now() - generatedAt;
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const started = performance.now();
    const result = await scanWorkspace(root);
    const scanMs = performance.now() - started;
    const overLimit = result.skipped.filter((s) => s.reason === 'file-limit').length;
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    return {
      files: config.files,
      root,
      generateMs,
      scanMs,
      read: result.files.length,
      overLimit,
      skipped: result.skipped.length,
      maxRssMB,
      rssBeforeMB: rssBefore,
      deep: await deepScan(config.deep),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A chain of `levels` nested folders with a file at the bottom: the scan must not cost a realpath per folder. */
async function deepScan(levels: number): Promise<{ levels: number; scanMs: number; found: boolean }> {
  const root = fastTempDir('bench-deep');
  try {
    let dir = root;
    for (let level = 0; level < levels; level++) mkdirSync((dir = join(dir, 'd')));
    writeFileSync(join(dir, 'bottom.txt'), 'the deepest file\n');
    const started = performance.now();
    const result = await scanWorkspace(root);
    return { levels, scanMs: performance.now() - started, found: result.files.some((f) => f.path.endsWith('/bottom.txt')) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [mode, configPath] = process.argv.slice(2);
  const config = JSON.parse(readFileSync(configPath!, 'utf8')) as Config;
  const result = mode === 'scan' ? await scan(config) : await core(config);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
