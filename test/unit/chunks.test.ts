import { strict as assert } from 'node:assert';
import { definitionPieces, windows, type Extent } from '../../src/core/context/chunks';

// The pieces a file is packed in, and the definition each belongs to (the ledger says "part of X").
describe('definition pieces', () => {
  const lines = [
    'class Ledger:', // 1
    '    limit = 10', // 2
    '', // 3
    '    def add(self, entry):', // 4
    '        self.entries.append(entry)', // 5
    '        return entry', // 6
    '', // 7
    '    def total(self):', // 8
    ...Array.from({ length: 40 }, (_, i) => `        step_${i} = self.entries[${i}]`), // 9-48
    '        return sum(self.entries)', // 49
    '', // 50
  ];
  const extents: Extent[] = [
    { name: 'Ledger', startLine: 1, endLine: 49, signatureEnd: 1 },
    { name: 'add', startLine: 4, endLine: 6, signatureEnd: 4 },
    { name: 'total', startLine: 8, endLine: 49, signatureEnd: 8 },
  ];

  it('cuts at every definition, and a method that took the blank line after it is still its own', () => {
    const pieces = definitionPieces(lines, extents);
    assert.deepEqual(
      pieces.map((p) => [p.start, p.end, p.owner?.name]),
      [
        [1, 3, 'Ledger'],
        [4, 7, 'add'],
        [8, 50, 'total'],
      ],
    );
  });

  it('cuts a long definition into windows that keep its owner', () => {
    const cut = windows(definitionPieces(lines, extents), lines, 20);
    assert.ok(cut.length > 3, 'total() is cut');
    for (const w of cut.filter((c) => c.start >= 8)) assert.equal(w.owner?.name, 'total');
    const total = cut.filter((c) => c.start >= 8);
    assert.deepEqual(
      total.map((w) => [w.start, w.end]),
      [
        [8, 22],
        [23, 36],
        [37, 50],
      ],
      'total() (43 lines) in three windows of about equal length that tile it',
    );
  });

  it('cuts a definition one line longer than a window in two halves, not a window and a one-line scrap', () => {
    const long = ['def run():', ...Array.from({ length: 30 }, (_, i) => `    step_${i}()`)];
    const cut = windows(definitionPieces(long, [{ name: 'run', startLine: 1, endLine: 31, signatureEnd: 1 }]), long, 30);
    assert.deepEqual(
      cut.map((w) => [w.start, w.end]),
      [
        [1, 16],
        [17, 31],
      ],
    );
  });

  it('cuts a window at a blank line when one is near the even cut', () => {
    const long = ['def run():', ...Array.from({ length: 39 }, (_, i) => (i === 14 ? '' : `    step_${i}()`))];
    const cut = windows(definitionPieces(long, [{ name: 'run', startLine: 1, endLine: 40, signatureEnd: 1 }]), long, 30);
    assert.deepEqual(
      cut.map((w) => [w.start, w.end]),
      [
        [1, 16],
        [17, 40],
      ],
    );
  });
});
