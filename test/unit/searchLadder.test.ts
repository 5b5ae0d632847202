// The ladder's own rules, beside the corpus: ambiguity stops the climb, line endings follow the
// file, a file without a final newline keeps having none, elision lines are told from code, and
// whole edits are told from cut ones whatever their strings hold.
import assert from 'node:assert/strict';
import { keepWholeEdits } from '../../src/core/proposals/cutOffEdits';
import { isElisionLine } from '../../src/core/proposals/elidedSearch';
import { placeSearch } from '../../src/core/proposals/searchLadder';

function applied(text: string, search: string, replace: string): { rung: string; after: string } {
  const placed = placeSearch(text, search, replace);
  assert.equal(placed.kind, 'placed', JSON.stringify(placed));
  if (placed.kind !== 'placed') throw new Error('unreachable');
  return { rung: placed.rung, after: text.slice(0, placed.start) + placed.replacement + text.slice(placed.end) };
}

describe('the search ladder', () => {
  it('stops at the first rung that finds several places, even when a looser one would find one', () => {
    // Exactly, "a();\n" is inside "xa();" and is a line of its own; as whole lines it is only the second.
    const placed = placeSearch('xa();\na();\n', 'a();\n', 'b();\n');
    assert.deepEqual(placed, { kind: 'ambiguous', rung: 'exact', starts: [1, 6] });
  });

  it("writes added lines with the file's CRLF, moved by the indentation shift", () => {
    const text = 'class A:\r\n    def f(self):\r\n        return 1\r\n';
    const { rung, after } = applied(text, 'def f(self):\n    return 1\n', 'def f(self):\n    x = 1\n    return x\n');
    assert.equal(rung, 'indentation');
    assert.equal(after, 'class A:\r\n    def f(self):\r\n        x = 1\r\n        return x\r\n');
  });

  it("re-indents from spaces to the file's tabs, deeper lines included", () => {
    const text = 'func f() {\n\tif ok {\n\t\trun()\n\t}\n}\n';
    const { rung, after } = applied(text, 'if ok {\n    run()\n}\n', 'if ok {\n    run()\n    if again {\n        run()\n    }\n}\n');
    assert.equal(rung, 'indentation');
    assert.equal(after, 'func f() {\n\tif ok {\n\t\trun()\n\t\tif again {\n\t\t\trun()\n\t\t}\n\t}\n}\n');
  });

  it('keeps a file without a final newline without one, when its last lines are replaced or removed', () => {
    assert.equal(applied('a\nb\nc', 'b\nc\n', 'B\nC\n').after, 'a\nB\nC');
    assert.equal(applied('a\nb  \nc', 'b\nc\n', 'b\n').after, 'a\nb  ');
  });

  it('refuses a block whose lines match with two different shifts, and one that is only blank', () => {
    assert.equal(placeSearch('  a\n    b\n', 'a\nb\n', 'x\n').kind, 'unmatched');
    assert.equal(placeSearch('a\n\nb\n', ' \n\t\n', 'x\n').kind, 'unmatched');
  });

  it('tells elision lines from code', () => {
    for (const line of ['...', '    # ... existing code ...', '// ...', '  /* ... */', '<!-- ... -->', '// ... rest of the function ...', '…'])
      assert.ok(isElisionLine(line), line);
    for (const line of ['', 'f(...args)', 'x = ...', '# see ... below', 'return ...;', '...rest']) assert.ok(!isElisionLine(line), line);
  });
});

describe('whole edits of a cut-off answer', () => {
  it('reads braces, brackets and escaped quotes inside strings as text', () => {
    const edits = [
      { kind: 'replace', path: 'a.ts', search: 'const o = { a: [1, "}"] };\n', replace: 'const o = { a: [1, "\\"}\\""] };\n' },
      { kind: 'replace', path: 'a.ts', search: 'x', replace: 'y' },
    ];
    const text = JSON.stringify({ summary: 'Braces', edits });
    const kept = keepWholeEdits(text.slice(0, text.lastIndexOf('"y"')), 'json');
    assert.deepEqual(kept.value, { summary: 'Braces', edits: [edits[0]] });
    assert.match(kept.lost, /after 1 whole edit: the edit after edit 1 was incomplete/);
  });

  it('keeps the summary when it comes after the edits and is lost, saying so', () => {
    const text = '{"edits": [{"kind": "create", "path": "b.txt", "content": "b\\n"}], "summ';
    assert.deepEqual(keepWholeEdits(text, 'json').value, { summary: '(the summary was cut off)', edits: [{ kind: 'create', path: 'b.txt', content: 'b\n' }] });
  });
});
