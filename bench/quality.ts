// Context quality on SWE-bench-style splits, in one process: each repository tree is opened once
// and planned at every budget, so a whole split runs in minutes. For iterating on the engine; the
// figures to quote come from ../shared/bench (a fresh process per call, BM25 in the same run).
//
//   npx tsx bench/quality.ts --split FILE --cache DIR [--budgets 13000,27000] [--only REGEX]
//                            [--limit N] [--json FILE] [--diag] [--tradeoff]
//
// FILE is a split of ../shared/bench ({ instance_id, repo, base_commit, problem_statement, patch,
// language? }); DIR is the cache its prepare.mjs filled (trees/ and tasks/). --diag prints, per
// gold file that was missed, its rank, how it was shown and where its gold lines were. --tradeoff
// prints what blind files and file recall would be if only the files ranked in the top k were shown:
// how much breadth a lower blind rate costs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ContextEngine, type ContextPlan } from '../src/core/context/engine';
import { getEncoding } from 'js-tiktoken';

const { values: opt } = parseArgs({
  options: {
    split: { type: 'string' },
    cache: { type: 'string' },
    budgets: { type: 'string', default: '13000,27000' },
    only: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'string' },
    diag: { type: 'boolean', default: false },
    tradeoff: { type: 'boolean', default: false },
  },
});
if (!opt.split || !opt.cache) {
  console.error(
    'usage: npx tsx bench/quality.ts --split FILE --cache DIR [--budgets 13000,27000] [--only REGEX] [--limit N] [--json FILE] [--diag] [--tradeoff]',
  );
  process.exit(2);
}

interface Instance {
  instance_id: string;
  repo: string;
  base_commit: string;
  problem_statement: string;
  patch: string;
  language?: string;
}

/** The pre-image lines a patch changes, per file (an insertion counts the line before it). */
function goldLines(patch: string): Map<string, Set<number>> {
  const gold = new Map<string, Set<number>>();
  let path: string | null = null;
  let oldLine = 0;
  for (const line of patch.split('\n')) {
    if (line.startsWith('--- ')) {
      path = line.slice(4).replace(/^a\//, '');
      if (path === '/dev/null') path = null;
      continue;
    }
    if (line.startsWith('+++ ')) continue;
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      continue;
    }
    if (!path) continue;
    if (!gold.has(path)) gold.set(path, new Set());
    if (line.startsWith('-')) gold.get(path)!.add(oldLine++);
    else if (line.startsWith('+')) gold.get(path)!.add(Math.max(1, oldLine - 1));
    else if (line.startsWith(' ')) oldLine++;
  }
  return gold;
}

const enc = getEncoding('cl100k_base');

interface Score {
  valid: boolean;
  fileRecall: number;
  lineCoverage: number;
  allLines: number;
  blind: number;
  acc1: number;
  acc3: number;
  acc5: number;
  ms: number;
  tokens: number;
}

/** Each gold file: where the ranking put it (1-based; Infinity when unranked), whether it is shown, and any of its gold lines. */
interface GoldSight {
  rank: number;
  shown: boolean;
  hit: number;
  lines: number;
}

/** An answer over budget shows nothing. */
function goldSight(plan: ContextPlan, gold: Map<string, Set<number>>, valid: boolean): GoldSight[] {
  const shown = new Map<string, Set<number>>();
  for (const item of valid ? plan.context : []) {
    const set = shown.get(item.path) ?? new Set<number>();
    for (const [s, e] of item.ranges) for (let l = s; l <= e; l++) set.add(l);
    shown.set(item.path, set);
  }
  return [...gold].map(([path, lines]) => {
    const s = shown.get(path);
    const rank = plan.ranking.indexOf(path);
    return { rank: rank < 0 ? Infinity : rank + 1, shown: s !== undefined, hit: [...lines].filter((l) => s?.has(l)).length, lines: lines.size };
  });
}

/** A gold file in the prompt with none of its gold lines: the model sees the right file, the wrong part. */
const isBlind = (g: GoldSight): boolean => g.shown && g.lines > 0 && g.hit === 0;

function score(sight: GoldSight[], valid: boolean, tokens: number, ms: number): Score {
  const total = sight.reduce((n, g) => n + g.lines, 0);
  const hit = sight.reduce((n, g) => n + g.hit, 0);
  const accAt = (k: number): number => (valid && sight.every((g) => g.rank <= k) ? 1 : 0);
  return {
    valid,
    fileRecall: sight.filter((g) => g.shown).length / sight.length,
    lineCoverage: total ? hit / total : 0,
    allLines: total && hit === total ? 1 : 0,
    blind: sight.some(isBlind) ? 1 : 0,
    acc1: accAt(1),
    acc3: accAt(3),
    acc5: accAt(5),
    ms,
    tokens,
  };
}

/** Blind files and file recall had only the files ranked in the top k been shown, for a few k. */
function tradeoff(sights: GoldSight[][]): string {
  const n = sights.length || 1;
  return [3, 5, 8, 10, 15, Infinity]
    .map((k) => {
      const within = sights.map((s) => s.filter((g) => g.rank <= k));
      const blind = within.filter((s) => s.some(isBlind)).length / n;
      const recall = within.reduce((sum, s, i) => sum + s.filter((g) => g.shown).length / sights[i]!.length, 0) / n;
      return `top ${k === Infinity ? 'all' : k}: blind ${blind.toFixed(3)} recall ${recall.toFixed(3)}`;
    })
    .join('; ');
}

function diagnose(inst: Instance, plan: ContextPlan, gold: Map<string, Set<number>>, budget: number): string[] {
  const sight = goldSight(plan, gold, true); // what the plan shows, over budget or not
  return [...gold].flatMap(([path, lines], i) => {
    const { rank, hit } = sight[i]!;
    if (hit === lines.size) return [];
    const item = plan.ledger.items.find((it) => it.path === path);
    const g = [...lines].sort((a, b) => a - b);
    return [
      `  ${inst.instance_id} @${budget} ${path}: rank ${Number.isFinite(rank) ? rank : '-'}, ` +
        `${item ? `${item.tier} ${item.ranges.map(([s, e]) => `${s}-${e}`).join(',')} (${item.tokens} t)` : 'not shown'}, ` +
        `gold ${g[0]}..${g[g.length - 1]} (${hit}/${lines.size}); items ${plan.ledger.items.length}`,
    ];
  });
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
};

async function main(): Promise<void> {
  const budgets = opt.budgets!.split(',').map(Number);
  let instances = JSON.parse(readFileSync(opt.split!, 'utf8')) as Instance[];
  if (opt.only) instances = instances.filter((i) => new RegExp(opt.only!).test(i.instance_id));
  if (opt.limit) instances = instances.slice(0, Number(opt.limit));
  const rows: { id: string; language: string; budget: number; score: Score; sight: GoldSight[] }[] = [];
  const diags: string[] = [];
  for (const inst of instances) {
    const root = join(opt.cache!, 'trees', `${inst.repo.replace('/', '+')}@${inst.base_commit}`);
    const task = readFileSync(join(opt.cache!, 'tasks', `${inst.instance_id}.md`), 'utf8');
    const gold = goldLines(inst.patch);
    const t0 = performance.now();
    const engine = await ContextEngine.open(root);
    const openMs = performance.now() - t0;
    for (const budget of budgets) {
      const t1 = performance.now();
      const plan = await engine.plan({ task, budget });
      const ms = openMs + performance.now() - t1;
      const tokens = enc.encode(plan.prompt, 'all').length;
      const sight = goldSight(plan, gold, tokens <= budget);
      rows.push({ id: inst.instance_id, language: inst.language ?? 'python', budget, score: score(sight, tokens <= budget, tokens, ms), sight });
      if (opt.diag) diags.push(...diagnose(inst, plan, gold, budget));
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  if (diags.length) console.log(diags.join('\n'));
  const table = (sub: typeof rows, prefix: string): void => {
    for (const budget of budgets) {
      const at = sub.filter((r) => r.budget === budget).map((r) => r.score);
      const f = (k: keyof Score): string => mean(at.map((s) => Number(s[k]))).toFixed(3);
      console.log(
        `${prefix}${budget}: recall ${f('fileRecall')} lines ${f('lineCoverage')} all ${f('allLines')} blind ${f('blind')} ` +
          `acc@1/3/5 ${f('acc1')}/${f('acc3')}/${f('acc5')} invalid ${at.filter((s) => !s.valid).length} median ${Math.round(median(at.map((s) => s.ms)))} ms (n=${at.length})`,
      );
    }
  };
  table(rows, '');
  if (opt.tradeoff)
    for (const budget of budgets) console.log(`  ${budget}, shown only: ${tradeoff(rows.filter((r) => r.budget === budget).map((r) => r.sight))}`);
  const languages = [...new Set(rows.map((r) => r.language))];
  if (languages.length > 1)
    for (const l of languages.sort())
      table(
        rows.filter((r) => r.language === l),
        `  ${l.padEnd(6)} `,
      );
  if (opt.json)
    writeFileSync(
      opt.json,
      JSON.stringify(
        rows.map(({ sight: _, ...row }) => row),
        null,
        1,
      ),
    );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
