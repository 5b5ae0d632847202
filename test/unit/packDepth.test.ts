import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ContextEngine } from '../../src/core/context/engine';
import { TokenCounter } from '../../src/core/tokens/tokenCounter';

// A long file in each language, with the definition the task names far down it: the plan must show
// that definition whole (not a scatter of excerpts, not the file's head), within the budget, with the
// ledger saying why, and the same plan every time.
interface Case {
  language: string;
  path: string;
  /** Filler definition number i (no word of the task in it). */
  filler: (i: number) => string;
  /** The definition the task is about; its first and last lines are what the plan must hold. */
  target: string;
  head?: string;
  tail?: string;
  task: string;
}

const body = (i: number, indent: string, end: string): string =>
  Array.from({ length: 6 }, (_, k) => `${indent}value${k} = value${k} * ${i + k} + offset${k}${end}`).join('\n');

const CASES: Case[] = [
  {
    language: 'Python',
    path: 'pkg/ledger.py',
    head: 'class Ledger:\n    """Keeps entries."""\n',
    filler: (i) => `    def helper_${i}(self, value0, value1):\n${body(i, '        ', '')}\n        return value0\n`,
    target: '    def reconcile_totals(self, batch):\n        if len(batch) >= self.limit:\n            batch = batch[:-1]\n        return sum(batch)\n',
    task: '`Ledger.reconcile_totals` drops the last entry when the batch is full',
  },
  {
    language: 'TypeScript',
    path: 'src/ledger.ts',
    head: 'export class Ledger {\n  limit = 10;\n',
    filler: (i) => `  helper${i}(value0: number, value1: number): number {\n${body(i, '    ', ';')}\n    return value0;\n  }\n`,
    target:
      '  reconcileTotals(batch: number[]): number {\n    if (batch.length >= this.limit) batch = batch.slice(0, -1);\n    return batch.reduce((a, b) => a + b, 0);\n  }\n',
    tail: '}\n',
    task: '`Ledger.reconcileTotals` drops the last entry when the batch is full',
  },
  {
    language: 'Go',
    path: 'ledger/ledger.go',
    head: 'package ledger\n\ntype Ledger struct{ limit int }\n',
    filler: (i) => `func (l *Ledger) helper${i}(value0 int, value1 int) int {\n${body(i, '\t', '')}\n\treturn value0\n}\n`,
    target:
      'func (l *Ledger) ReconcileTotals(batch []int) int {\n\tif len(batch) >= l.limit {\n\t\tbatch = batch[:len(batch)-1]\n\t}\n\treturn len(batch)\n}\n',
    task: '`Ledger.ReconcileTotals` drops the last entry when the batch is full',
  },
  {
    language: 'Rust',
    path: 'src/ledger.rs',
    head: 'pub struct Ledger { limit: usize }\n\nimpl Ledger {\n',
    filler: (i) => `    fn helper_${i}(&self, value0: i64, value1: i64) -> i64 {\n${body(i, '        ', ';')}\n        value0\n    }\n`,
    target:
      '    pub fn reconcile_totals(&self, batch: &mut Vec<i64>) -> i64 {\n        if batch.len() >= self.limit {\n            batch.pop();\n        }\n        batch.iter().sum()\n    }\n',
    tail: '}\n',
    task: '`Ledger::reconcile_totals` drops the last entry when the batch is full',
  },
  {
    language: 'Java',
    path: 'src/main/java/shop/Ledger.java',
    head: 'package shop;\n\npublic class Ledger {\n  private int limit = 10;\n',
    filler: (i) => `  int helper${i}(int value0, int value1) {\n${body(i, '    ', ';')}\n    return value0;\n  }\n`,
    target:
      '  public int reconcileTotals(java.util.List<Integer> batch) {\n    if (batch.size() >= limit) batch.remove(batch.size() - 1);\n    return batch.size();\n  }\n',
    tail: '}\n',
    task: '`Ledger.reconcileTotals` drops the last entry when the batch is full',
  },
  {
    language: 'C++',
    path: 'src/ledger.cpp',
    head: '#include "ledger.h"\n',
    filler: (i) => `int Ledger::helper${i}(int value0, int value1) {\n${body(i, '  ', ';')}\n  return value0;\n}\n`,
    target:
      'int Ledger::reconcileTotals(std::vector<int>& batch) {\n  if (batch.size() >= limit_) batch.pop_back();\n  return static_cast<int>(batch.size());\n}\n',
    task: '`Ledger::reconcileTotals` drops the last entry when the batch is full',
  },
  {
    language: 'C',
    path: 'src/ledger.c',
    head: '#include "ledger.h"\n',
    filler: (i) => `static int helper_${i}(int value0, int value1) {\n${body(i, '  ', ';')}\n  return value0;\n}\n`,
    target: 'int ledger_reconcile_totals(struct ledger *l, int *batch, int n) {\n  if (n >= l->limit) n--;\n  return n;\n}\n',
    task: '`ledger_reconcile_totals` drops the last entry when the batch is full',
  },
  {
    language: 'C#',
    path: 'src/Ledger.cs',
    head: 'namespace Shop;\n\npublic class Ledger\n{\n    private int limit = 10;\n',
    filler: (i) => `    int Helper${i}(int value0, int value1)\n    {\n${body(i, '        ', ';')}\n        return value0;\n    }\n`,
    target:
      '    public int ReconcileTotals(System.Collections.Generic.List<int> batch)\n    {\n        if (batch.Count >= limit) batch.RemoveAt(batch.Count - 1);\n        return batch.Count;\n    }\n',
    tail: '}\n',
    task: '`Ledger.ReconcileTotals` drops the last entry when the batch is full',
  },
  {
    language: 'Ruby',
    path: 'lib/ledger.rb',
    head: 'class Ledger\n  LIMIT = 10\n',
    filler: (i) => `  def helper_${i}(value0, value1)\n${body(i, '    ', '')}\n    value0\n  end\n`,
    target: '  def reconcile_totals(batch)\n    batch = batch[0...-1] if batch.length >= LIMIT\n    batch.sum\n  end\n',
    tail: 'end\n',
    task: '`Ledger#reconcile_totals` drops the last entry when the batch is full',
  },
  {
    language: 'PHP',
    path: 'src/Ledger.php',
    head: '<?php\n\nclass Ledger\n{\n    private $limit = 10;\n',
    filler: (i) => `    public function helper${i}($value0, $value1)\n    {\n${body(i, '        $', ';')}\n        return $value0;\n    }\n`,
    target:
      '    public function reconcileTotals(array $batch): int\n    {\n        if (count($batch) >= $this->limit) array_pop($batch);\n        return array_sum($batch);\n    }\n',
    tail: '}\n',
    task: '`Ledger::reconcileTotals` drops the last entry when the batch is full',
  },
];

const BUDGET = 3000;
const counter = new TokenCounter('cl100k_base');

describe('packing shows the code the task names, in every language', () => {
  for (const c of CASES) {
    it(`${c.language}: a definition far down a long file is shown whole, within the budget, the same each time`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'baton-depth-'));
      try {
        const fillers = Array.from({ length: 120 }, (_, i) => c.filler(i));
        const before = `${c.head ?? ''}${fillers.slice(0, 100).join('\n')}\n`;
        const text = `${before}${c.target}\n${fillers.slice(100).join('\n')}\n${c.tail ?? ''}`;
        const targetStart = before.split('\n').length;
        const targetEnd = targetStart + c.target.trimEnd().split('\n').length - 1;
        mkdirSync(dirname(join(root, c.path)), { recursive: true });
        writeFileSync(join(root, c.path), text);
        writeFileSync(join(root, 'README.md'), '# Ledger\n\nBook-keeping helpers.\n');
        assert.ok(counter.count(text) > 2 * BUDGET, 'the file is far too long to show whole');

        const engine = await ContextEngine.open(root);
        const plan = await engine.plan({ task: c.task, budget: BUDGET });
        assert.ok(plan.ledger.used <= BUDGET - plan.ledger.reserved.answer, `${plan.ledger.used} tokens used`);
        assert.ok(counter.count(plan.prompt) <= BUDGET);
        const item = plan.ledger.items.find((i) => i.path === c.path);
        assert.ok(item, `${c.path} is in the plan`);
        assert.equal(item.tier, 'snippet');
        assert.ok(
          item.ranges.some(([s, e]) => s <= targetStart && e >= targetEnd),
          `lines ${targetStart}-${targetEnd} shown whole; shown: ${JSON.stringify(item.ranges)}`,
        );
        assert.ok(plan.prompt.includes(c.target.trimEnd()), 'the definition is in the prompt verbatim');
        const note = item.notes?.find((n) => n.range[0] <= targetStart && n.range[1] >= targetEnd);
        assert.match(note?.why ?? '', /reconcile/i, 'the ledger says the range holds what the task names');
        assert.match(item.shown, /lines, where the evidence points/);

        const again = await (await ContextEngine.open(root)).plan({ task: c.task, budget: BUDGET });
        assert.equal(again.prompt, plan.prompt, 'the same input gives the same plan');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
