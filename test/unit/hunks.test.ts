// Hunks a person accepts one by one: separate changes are separate hunks, and any choice of hunks
// gives exact text (line endings and a missing final newline included).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyHunks, diffHunks, splitLines } from '../../src/core/proposals/hunks';

describe('diffHunks', () => {
  it("makes two changes separated by an unchanged line two hunks, in both files' line numbers", () => {
    const before = 'a\nb\nc\nd\ne\n';
    const after = 'a\nB\nc\nd\nE\nF\n';
    assert.deepEqual(diffHunks(before, after), [
      { index: 0, beforeStart: 2, beforeLines: 1, afterStart: 2, afterLines: 1 },
      { index: 1, beforeStart: 5, beforeLines: 1, afterStart: 5, afterLines: 2 },
    ]);
  });

  it('numbers a pure insertion and a pure deletion by the line they come before', () => {
    assert.deepEqual(diffHunks('a\nb\n', 'a\nnew\nb\n'), [{ index: 0, beforeStart: 2, beforeLines: 0, afterStart: 2, afterLines: 1 }]);
    assert.deepEqual(diffHunks('a\nb\nc\n', 'a\nc\n'), [{ index: 0, beforeStart: 2, beforeLines: 1, afterStart: 2, afterLines: 0 }]);
  });

  it('gives a new file one hunk of all its lines, and no hunks when nothing changed', () => {
    assert.deepEqual(diffHunks(undefined, 'x\ny'), [{ index: 0, beforeStart: 1, beforeLines: 0, afterStart: 1, afterLines: 2 }]);
    assert.deepEqual(diffHunks(undefined, ''), []);
    assert.deepEqual(diffHunks('same\r\n', 'same\r\n'), []);
  });

  it('makes a rewrite of more than 2000 lines one hunk, quickly, that still applies exactly', () => {
    const before = Array.from({ length: 1001 }, (_, i) => `old ${i}\n`).join('');
    const after = Array.from({ length: 1001 }, (_, i) => `new ${i}\r\n`).join('');
    assert.deepEqual(diffHunks(before, after), [{ index: 0, beforeStart: 1, beforeLines: 1001, afterStart: 1, afterLines: 1001 }]);
    assert.equal(applyHunks(before, after, [0]), after);
    assert.equal(applyHunks(before, after, []), before);
  });

  it('sees a line-ending change and a removed final newline as changes', () => {
    assert.deepEqual(diffHunks('a\nb\n', 'a\r\nb\n'), [{ index: 0, beforeStart: 1, beforeLines: 1, afterStart: 1, afterLines: 1 }]);
    assert.deepEqual(diffHunks('a\nb\n', 'a\nb'), [{ index: 0, beforeStart: 2, beforeLines: 1, afterStart: 2, afterLines: 1 }]);
  });
});

describe('applyHunks', () => {
  it('applies only the accepted hunks, keeping CRLF and a missing final newline', () => {
    const before = 'one\r\ntwo\r\nthree\r\nfour\r\nfive';
    const after = 'ONE\r\ntwo\r\nthree\r\nfour\r\nFIVE';
    assert.equal(diffHunks(before, after).length, 2);
    assert.equal(applyHunks(before, after, [0]), 'ONE\r\ntwo\r\nthree\r\nfour\r\nfive');
    assert.equal(applyHunks(before, after, [1]), 'one\r\ntwo\r\nthree\r\nfour\r\nFIVE');
    assert.equal(applyHunks(before, after, [0, 1]), after);
    assert.equal(applyHunks(before, after, []), before);
  });

  it('keeps a rejected final-newline change as it was', () => {
    const before = 'a\nb\nc';
    const after = 'A\nb\nc\n';
    assert.equal(applyHunks(before, after, [0]), 'A\nb\nc');
    assert.equal(applyHunks(before, after, [1]), 'a\nb\nc\n');
  });

  it("gives '' for a new file with no hunk accepted, and its content with all", () => {
    assert.equal(applyHunks(undefined, 'new\n', []), '');
    assert.equal(applyHunks(undefined, 'new\n', [0]), 'new\n');
  });

  it('refuses a hunk index the change does not have', () => {
    assert.throws(() => applyHunks('a\n', 'b\n', [1]), /No hunk 1 in this change: it has 1/);
    assert.throws(() => applyHunks('a\n', 'b\n', [-1]), RangeError);
  });
});

// Texts built from a few short lines with mixed endings, so random pairs share lines and differ in
// several separate places.
const lineArbitrary = fc.tuple(fc.constantFrom('a', 'b', 'c', '', '  x', '```', '\r'), fc.constantFrom('\n', '\r\n'));
const textArbitrary = fc.tuple(fc.array(lineArbitrary, { maxLength: 12 }), fc.boolean()).map(([lines, finalNewline]) => {
  const text = lines.map(([body, end]) => body + end).join('');
  return finalNewline ? text : text.replace(/\r?\n$/, '');
});

describe('applyHunks properties', () => {
  it('all hunks give exactly after, none give exactly before (or "" for a new file)', () => {
    fc.assert(
      fc.property(fc.option(textArbitrary, { nil: undefined }), textArbitrary, (before, after) => {
        const all = diffHunks(before, after).map((hunk) => hunk.index);
        assert.equal(applyHunks(before, after, all), after);
        assert.equal(applyHunks(before, after, []), before ?? '');
      }),
      { numRuns: Number(process.env.HUNK_RUNS ?? 500) },
    );
  });

  it('hunks are separated by unchanged lines, and their line numbers point at the lines they change', () => {
    fc.assert(
      fc.property(textArbitrary, textArbitrary, (before, after) => {
        const beforeLines = splitLines(before);
        const afterLines = splitLines(after);
        const hunks = diffHunks(before, after);
        let beforeAt = 0;
        let afterAt = 0;
        hunks.forEach((hunk, i) => {
          assert.equal(hunk.index, i);
          assert.ok(hunk.beforeLines + hunk.afterLines > 0);
          // The stretch since the previous hunk is unchanged and, after the first hunk, not empty.
          const unchanged = hunk.beforeStart - 1 - beforeAt;
          assert.equal(hunk.afterStart - 1 - afterAt, unchanged);
          if (i > 0) assert.ok(unchanged > 0, 'adjacent hunks should have been one');
          assert.deepEqual(afterLines.slice(afterAt, afterAt + unchanged), beforeLines.slice(beforeAt, beforeAt + unchanged));
          beforeAt = hunk.beforeStart - 1 + hunk.beforeLines;
          afterAt = hunk.afterStart - 1 + hunk.afterLines;
        });
        assert.deepEqual(afterLines.slice(afterAt), beforeLines.slice(beforeAt));
      }),
      { numRuns: Number(process.env.HUNK_RUNS ?? 500) },
    );
  });

  it('any subset changes exactly its hunks, and accepting the rest over it gives after', () => {
    fc.assert(
      fc.property(textArbitrary, textArbitrary, fc.infiniteStream(fc.boolean()), (before, after, coin) => {
        const hunks = diffHunks(before, after);
        const accepted = hunks.filter(() => coin.next().value).map((hunk) => hunk.index);
        const partial = applyHunks(before, after, accepted);
        // Built by hand from the hunks' own line numbers: accepted ones from after, the rest from before.
        const beforeLines = splitLines(before);
        const afterLines = splitLines(after);
        const expected: string[] = [];
        let beforeAt = 0;
        for (const hunk of hunks) {
          expected.push(...beforeLines.slice(beforeAt, hunk.beforeStart - 1));
          expected.push(
            ...(accepted.includes(hunk.index)
              ? afterLines.slice(hunk.afterStart - 1, hunk.afterStart - 1 + hunk.afterLines)
              : beforeLines.slice(hunk.beforeStart - 1, hunk.beforeStart - 1 + hunk.beforeLines)),
          );
          beforeAt = hunk.beforeStart - 1 + hunk.beforeLines;
        }
        expected.push(...beforeLines.slice(beforeAt));
        assert.equal(partial, expected.join(''));
        // Accepting the rest later, over the partly accepted text, still ends at after. (The count of
        // hunks left is not asserted: a minimal diff may cut a rejected hunk differently.)
        const rest = diffHunks(partial, after);
        assert.equal(
          applyHunks(
            partial,
            after,
            rest.map((hunk) => hunk.index),
          ),
          after,
        );
        if (accepted.length === hunks.length) assert.equal(rest.length, 0);
      }),
      { numRuns: Number(process.env.HUNK_RUNS ?? 500) },
    );
  });
});

describe('splitLines', () => {
  it('keeps each line ending with its line, and a lone \\r inside a line', () => {
    assert.deepEqual(splitLines('a\r\nb\rc\n\nlast'), ['a\r\n', 'b\rc\n', '\n', 'last']);
    assert.deepEqual(splitLines(''), []);
    assert.equal(splitLines('x\r\ny').join(''), 'x\r\ny');
  });
});
