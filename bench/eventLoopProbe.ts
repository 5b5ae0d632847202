// What the event-loop runners share: the probe of the thread they run on, and the plan's digest.
import { createHash } from 'node:crypto';
import type { ContextPlan } from '../src/core/context/engine';

export const RESULT_PREFIX = 'BENCH_RESULT ';
const PROBE_MS = 1;

export interface Config {
  root: string;
  budget: number;
  task: string;
}

/**
 * Measures how long the event loop goes without running a timer: a 1 ms timeout re-armed on every
 * tick, each gap beyond its due time being a stretch the thread was held by something else.
 */
export function probeEventLoop(): () => number[] {
  const stretches: number[] = [];
  let last = performance.now();
  let timer: ReturnType<typeof setTimeout>;
  const tick = (): void => {
    const now = performance.now();
    stretches.push(Math.max(0, now - last - PROBE_MS));
    last = now;
    timer = setTimeout(tick, PROBE_MS);
  };
  timer = setTimeout(tick, PROBE_MS);
  return () => {
    clearTimeout(timer);
    stretches.push(Math.max(0, performance.now() - last - PROBE_MS));
    return stretches;
  };
}

/** What the plan says, reduced to one hash: every engine and way of running it must agree on it. */
export function planDigest(plan: ContextPlan): string {
  return createHash('sha256')
    .update(JSON.stringify({ prompt: plan.prompt, ranking: plan.ranking, items: plan.ledger.items, omitted: plan.ledger.omitted, context: plan.context }))
    .digest('hex')
    .slice(0, 16);
}

export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
