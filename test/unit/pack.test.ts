import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { mergeRanges, packContext, type PackFile, type PackUnit } from '../../src/core/context/pack';
import { TokenCounter } from '../../src/core/tokens/tokenCounter';

const counter = new TokenCounter('cl100k_base');

// Random files cut into contiguous units, with random relevance, confidence, headers, outlines and pins.
const lineArb = fc.oneof(
  fc.constantFrom('', '    return x', 'def f(a, b):', '}', '```', '````js', 'class Thing:', '\t// comment ⋮', 'x = "日本語"\r'),
  fc.string({ maxLength: 60 }),
);
const fileArb = fc
  .record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 80 }),
    cuts: fc.array(fc.integer({ min: 1, max: 80 }), { maxLength: 8 }),
    relevance: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    pinned: fc.boolean(),
    glimpseOnly: fc.boolean(),
    outline: fc.boolean(),
    headers: fc.boolean(),
  })
  .map(({ lines, cuts, relevance, confidence, pinned, glimpseOnly, outline, headers }): Omit<PackFile, 'path'> => {
    const bounds = [...new Set([1, ...cuts.filter((c) => c <= lines.length), lines.length + 1])].sort((a, b) => a - b);
    const units: PackUnit[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const start = bounds[i]!;
      units.push({ start, end: bounds[i + 1]! - 1, relevance: relevance[i]!, why: `unit ${i}`, headers: headers && start > 1 ? [[1, 1]] : [] });
    }
    return { lines, fenceLang: 'py', score: confidence, confidence, reasons: [], units, outline: outline ? [[1, 1]] : [], pinned, glimpseOnly };
  });

describe('packContext', () => {
  it('never exceeds the budget, shows claimed lines verbatim, and is deterministic (property)', () => {
    fc.assert(
      fc.property(fc.array(fileArb, { maxLength: 8 }), fc.integer({ min: 0, max: 3000 }), (raw, available) => {
        const files: PackFile[] = raw.map((f, i) => ({ ...f, path: `pkg/file${i}.py` }));
        const blocks = packContext(files, available, counter);
        const total = blocks.reduce((n, b) => n + counter.count(b.text), 0);
        assert.ok(total <= available, `packed ${total} tokens into ${available}`);
        for (const b of blocks) {
          const file = files.find((f) => f.path === b.item.path)!;
          assert.equal(b.item.tokens, counter.count(b.text));
          for (const [s, e] of b.item.ranges) assert.ok(b.text.includes(file.lines.slice(s - 1, e).join('\n')), 'range shown verbatim');
        }
        assert.deepEqual(packContext(files, available, counter), blocks, 'same input, same plan');
      }),
      { numRuns: 300 },
    );
  });

  it('takes whole files when they fit and the most relevant units of a file that does not, with their headers', () => {
    const small: PackFile = {
      path: 'small.py',
      lines: ['a = 1', 'b = 2'],
      fenceLang: 'py',
      score: 2,
      confidence: 1,
      reasons: [],
      pinned: false,
      glimpseOnly: false,
      outline: [],
      units: [{ start: 1, end: 2, relevance: 1, why: 'small', headers: [] }],
    };
    const bigLines = ['class Big:', ...Array.from({ length: 299 }, (_, i) => `    line_${i} = compute(${i}) + another_value * ${i}`)];
    const big: PackFile = {
      path: 'big.py',
      lines: bigLines,
      fenceLang: 'py',
      score: 1,
      confidence: 0.8,
      reasons: [],
      pinned: false,
      glimpseOnly: false,
      outline: [],
      units: Array.from({ length: 10 }, (_, i): PackUnit => ({
        start: i * 30 + 1,
        end: i * 30 + 30,
        relevance: i === 7 ? 0.55 : 0.05,
        why: i === 7 ? 'line 215: names compute' : 'part of Big',
        headers: i ? [[1, 1]] : [],
      })),
    };
    const blocks = packContext([small, big], 900, counter);
    assert.equal(blocks[0]!.item.tier, 'whole');
    assert.equal(blocks[1]!.item.tier, 'snippet');
    assert.deepEqual(
      blocks[1]!.item.ranges.slice(0, 2),
      [
        [1, 1],
        [211, 240],
      ],
      'the most relevant unit of big.py, under its class header',
    );
    assert.deepEqual(blocks[1]!.item.notes?.[1], { range: [211, 240], why: 'line 215: names compute' }, 'the ledger says why the range is there');
  });

  it('gives a file that got nothing its densest unit instead of its outline when that is no larger', () => {
    const likely: PackFile = {
      path: 'likely.py',
      lines: Array.from({ length: 200 }, (_, i) => `total_${i} = compute_total(entries[${i}], limit=${i})`),
      fenceLang: 'py',
      score: 3,
      confidence: 0.9,
      reasons: [],
      pinned: false,
      glimpseOnly: false,
      outline: [],
      // One line each, so the share before the glimpses is filled to the last few tokens.
      units: Array.from({ length: 200 }, (_, i): PackUnit => ({ start: i + 1, end: i + 1, relevance: 0.005, why: 'likely', headers: [] })),
    };
    const lines = [
      'def parse(text, strict=False, encoding="utf-8"):',
      '    return decode(text, strict, encoding)',
      ...Array.from({ length: 18 }, (_, i) => `def helper_${i}(value, other_value):`),
    ];
    const unlikely = (outline: [number, number][]): PackFile => ({
      path: 'unlikely.py',
      lines,
      fenceLang: 'py',
      score: 1,
      confidence: 0.01,
      reasons: [],
      pinned: false,
      glimpseOnly: false,
      outline,
      units: [
        { start: 1, end: 2, relevance: 0.6, why: 'line 1: names parse', headers: [] },
        { start: 3, end: 20, relevance: 0.4, why: 'helpers', headers: [] },
      ],
    });
    const glimpse = packContext([likely, unlikely(Array.from({ length: 18 }, (_, i): [number, number] => [i + 3, i + 3]))], 1000, counter);
    const item = glimpse.find((b) => b.item.path === 'unlikely.py')?.item;
    assert.equal(item?.tier, 'snippet', 'its likeliest code, not its signatures');
    assert.deepEqual(item?.ranges, [[1, 2]]);
    assert.deepEqual(item?.notes, [{ range: [1, 2], why: 'line 1: names parse' }]);
    assert.match(item?.shown ?? '', /^2 of 20 lines: a glimpse, its densest excerpt \(an estimated 1% chance/, 'the ledger says it is a glimpse');

    const outline = packContext([likely, unlikely([[3, 3]])], 1000, counter);
    const small = outline.find((b) => b.item.path === 'unlikely.py')?.item;
    assert.ok(
      small?.ranges.some(([s, e]) => s <= 3 && e >= 3),
      'an outline smaller than its densest unit is shown instead (what is left of the budget may add more)',
    );
  });

  it('gives a file ranked below the depth candidates a glimpse at most, however much room is left', () => {
    const lower = (glimpseOnly: boolean): PackFile => ({
      path: 'lower.py',
      lines: Array.from({ length: 40 }, (_, i) => `value_${i} = compute(${i})`),
      fenceLang: 'py',
      score: 1,
      confidence: 0.5,
      reasons: [],
      pinned: false,
      glimpseOnly,
      outline: [1, 5, 10, 20, 30].map((l): [number, number] => [l, l]),
      units: [
        { start: 1, end: 4, relevance: 0.6, why: 'names compute', headers: [] },
        { start: 5, end: 40, relevance: 0.4, why: 'the rest', headers: [] },
      ],
    });
    const weighed = packContext([lower(false)], 5000, counter)[0]?.item;
    assert.equal(weighed?.tier, 'whole', 'a file weighed for depth is shown whole when it fits');
    const glimpsed = packContext([lower(true)], 5000, counter)[0]?.item;
    assert.deepEqual(glimpsed?.ranges, [[1, 4]], 'its densest unit only');
    assert.match(glimpsed?.shown ?? '', /^4 of 40 lines: a glimpse, its densest excerpt .*; ranked below the files weighed for depth/);
  });

  it('shows a small hole between two excerpts of a file with them, when the budget allows, and not a large one', () => {
    const unit = (start: number, end: number, relevance: number): PackUnit => ({ start, end, relevance, why: `lines ${start}-${end}`, headers: [] });
    const calc: PackFile = {
      path: 'calc.py',
      lines: Array.from({ length: 120 }, (_, i) => `value_${i} = compute(entries[${i}], limit=${i})`),
      fenceLang: 'py',
      score: 1,
      confidence: 0.9,
      reasons: [],
      pinned: false,
      glimpseOnly: false,
      outline: [],
      units: [unit(1, 20, 0.4), unit(21, 35, 0.01), unit(36, 55, 0.4), unit(56, 95, 0.01), unit(96, 115, 0.17), unit(116, 120, 0.01)],
    };
    // Likelier per token than the holes: without closing them, the budget goes here first.
    const other: PackFile = {
      path: 'other.py',
      lines: Array.from({ length: 40 }, (_, i) => `other_${i} = helper(${i})`),
      fenceLang: 'py',
      score: 0.5,
      confidence: 0.5,
      reasons: [],
      pinned: false,
      glimpseOnly: false,
      outline: [],
      units: Array.from({ length: 8 }, (_, i) => unit(i * 5 + 1, i * 5 + 5, 0.1)),
    };
    const roomy = packContext([calc, other], 1000, counter).find((b) => b.item.path === 'calc.py')!.item;
    assert.deepEqual(roomy.ranges, [[1, 55]], 'the 15 lines between the two excerpts are shown with them');
    const tight = packContext([calc, other], 700, counter).find((b) => b.item.path === 'calc.py')!.item;
    assert.ok(
      tight.ranges.some(([s, e]) => s === 36 && e === 55) && !tight.ranges.some(([s, e]) => s <= 21 && e >= 35),
      'when the hole does not fit, the excerpt is shown on its own',
    );
    const wide = packContext([calc, other], 1400, counter).find((b) => b.item.path === 'calc.py')!.item;
    assert.ok(!wide.ranges.some(([s, e]) => s <= 56 && e >= 95), 'a 40-line hole stays a hole');
  });

  it('fences content that itself holds backtick fences with a longer fence', () => {
    const file: PackFile = {
      path: 'README.md',
      lines: ['Example:', '```js', 'run()', '```'],
      fenceLang: '',
      score: 1,
      confidence: 1,
      reasons: [],
      pinned: false,
      glimpseOnly: false,
      outline: [],
      units: [{ start: 1, end: 4, relevance: 1, why: 'small', headers: [] }],
    };
    const [block] = packContext([file], 500, counter);
    assert.match(block!.text, /\n````\nExample:\n```js\nrun\(\)\n```\n````\n/);
  });

  it('merges overlapping and touching ranges', () => {
    assert.deepEqual(
      mergeRanges([
        [10, 12],
        [1, 3],
        [4, 5],
        [11, 20],
        [30, 30],
      ]),
      [
        [1, 5],
        [10, 20],
        [30, 30],
      ],
    );
  });
});
