import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Chunk } from '../../src/core/context/chunks';
import { mergeRanges, packContext, type PackFile } from '../../src/core/context/pack';
import { TokenCounter } from '../../src/core/tokens/tokenCounter';

const counter = new TokenCounter('cl100k_base');

// Random files cut into contiguous chunks, with random scores, outlines and pins.
const lineArb = fc.oneof(
  fc.constantFrom('', '    return x', 'def f(a, b):', '}', '```', '````js', 'class Thing:', '\t// comment ⋮', 'x = "日本語"\r'),
  fc.string({ maxLength: 60 }),
);
const fileArb = fc
  .record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 80 }),
    cuts: fc.array(fc.integer({ min: 1, max: 80 }), { maxLength: 8 }),
    scores: fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 9, maxLength: 9 }),
    score: fc.double({ min: 0, max: 5, noNaN: true }),
    pinned: fc.boolean(),
    outline: fc.boolean(),
  })
  .map(({ lines, cuts, scores, score, pinned, outline }, ): Omit<PackFile, 'path'> => {
    const bounds = [...new Set([1, ...cuts.filter((c) => c <= lines.length), lines.length + 1])].sort((a, b) => a - b);
    const chunks: Chunk[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) chunks.push({ start: bounds[i]!, end: bounds[i + 1]! - 1, owner: undefined, score: scores[i]! });
    return { lines, fenceLang: 'py', score, reasons: [], chunks, outline: outline ? [[1, 1]] : [], pinned };
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

  it('takes whole files when they fit and the best chunks of a file that does not', () => {
    const small: PackFile = {
      path: 'small.py', lines: ['a = 1', 'b = 2'], fenceLang: 'py', score: 2, reasons: [], pinned: false, outline: [],
      chunks: [{ start: 1, end: 2, owner: undefined, score: 1 }],
    };
    const bigLines = Array.from({ length: 300 }, (_, i) => `line_${i} = compute(${i}) + another_value * ${i}`);
    const big: PackFile = {
      path: 'big.py', lines: bigLines, fenceLang: 'py', score: 1, reasons: [], pinned: false, outline: [],
      chunks: Array.from({ length: 10 }, (_, i) => ({ start: i * 30 + 1, end: i * 30 + 30, owner: undefined, score: i === 7 ? 5 : 1 })),
    };
    const blocks = packContext([small, big], 900, counter);
    assert.equal(blocks[0]!.item.tier, 'whole');
    assert.equal(blocks[1]!.item.tier, 'snippet');
    assert.deepEqual(blocks[1]!.item.ranges[0], [211, 240], 'the most relevant chunk of big.py comes first');
  });

  it('fences content that itself holds backtick fences with a longer fence', () => {
    const file: PackFile = {
      path: 'README.md', lines: ['Example:', '```js', 'run()', '```'], fenceLang: '', score: 1, reasons: [], pinned: false, outline: [],
      chunks: [{ start: 1, end: 4, owner: undefined, score: 1 }],
    };
    const [block] = packContext([file], 500, counter);
    assert.match(block!.text, /\n````\nExample:\n```js\nrun\(\)\n```\n````\n/);
  });

  it('merges overlapping and touching ranges', () => {
    assert.deepEqual(mergeRanges([[10, 12], [1, 3], [4, 5], [11, 20], [30, 30]]), [[1, 5], [10, 20], [30, 30]]);
  });
});
