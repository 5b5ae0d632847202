// The maker's edits against the exact text they were proposed for: exact single matches only,
// problems a model can act on, line endings and ``` kept byte for byte, and the answer's schema.
import assert from 'node:assert/strict';
import { jsonSchemaFor } from '../../src/core/providers/structured';
import { resolveEdits, type ResolveResult, type ResolvedChange } from '../../src/core/proposals/edits';
import { MakerAnswerSchema, type Edit } from '../../src/core/proposals/makerSchema';

function filesReader(files: Record<string, string>): (path: string) => string | undefined {
  return (path) => (Object.hasOwn(files, path) ? files[path] : undefined);
}

function changesOf(result: ResolveResult): ResolvedChange[] {
  assert.ok(result.ok, `expected the edits to resolve, got: ${result.ok ? '' : result.problems.join(' | ')}`);
  return result.changes;
}

function problemsOf(result: ResolveResult): string[] {
  assert.ok(!result.ok, 'expected the edits to be refused');
  return result.problems;
}

function replace(path: string, search: string, replaceWith: string): Edit {
  return { kind: 'replace', path, search, replace: replaceWith };
}

const CART = ['export function total(items) {', '  let sum = 0;', '  for (const item of items) sum += item.price;', '  return sum;', '}', ''].join('\n');

describe('resolveEdits', () => {
  it('applies a search block that matches exactly once', () => {
    const changes = changesOf(
      resolveEdits([replace('src/cart.ts', '  return sum;\n', '  return Math.round(sum * 100) / 100;\n')], filesReader({ 'src/cart.ts': CART })),
    );
    assert.deepEqual(changes, [
      {
        path: 'src/cart.ts',
        before: CART,
        after: CART.replace('  return sum;', '  return Math.round(sum * 100) / 100;'),
        matches: [{ edit: 1, rung: 'exact', beforeStart: 4, beforeLines: 1 }],
      },
    ]);
  });

  it('refuses a search block that matches several places, naming the lines', () => {
    const text = 'a();\nb();\na();\nc();\na();\n';
    const [problem, ...rest] = problemsOf(resolveEdits([replace('x.ts', 'a();\n', 'z();\n')], filesReader({ 'x.ts': text })));
    assert.equal(rest.length, 0);
    assert.match(problem ?? '', /^Search block 1 for x\.ts matches 3 places \(lines 1, 3, 5\): add surrounding lines to make it unique\.$/);
  });

  it('counts overlapping occurrences as ambiguous ("aa" in "aaa")', () => {
    const [problem] = problemsOf(resolveEdits([replace('x.txt', 'aa', 'b')], filesReader({ 'x.txt': 'aaa' })));
    assert.match(problem ?? '', /matches 2 places \(line 1\)/);
    const [acrossLines] = problemsOf(resolveEdits([replace('x.txt', 'x\nx\n', 'y\n')], filesReader({ 'x.txt': 'x\nx\nx\n' })));
    assert.match(acrossLines ?? '', /matches 2 places \(lines 1, 2\)/);
  });

  it('refuses a search block that matches nothing, with an excerpt and a hint', () => {
    const [missing] = problemsOf(resolveEdits([replace('src/cart.ts', 'return total;', 'return 0;')], filesReader({ 'src/cart.ts': CART })));
    assert.match(missing ?? '', /^Search block 1 for src\/cart\.ts matches nothing: "return total;" is not in the file\./);
    const [indented] = problemsOf(resolveEdits([replace('src/cart.ts', 'let sum = 0;\n    for', 'x')], filesReader({ 'src/cart.ts': CART })));
    assert.match(indented ?? '', /different whitespace: copy the indentation/);
    const [drifted] = problemsOf(resolveEdits([replace('src/cart.ts', '  let sum = 0;\n  while (true) {}\n', 'x')], filesReader({ 'src/cart.ts': CART })));
    assert.match(drifted ?? '', /first line appears at line 2, but what follows differs/);
    const long = `${'x'.repeat(200)}\nsecond\nthird\n`;
    const [excerpted] = problemsOf(resolveEdits([replace('src/cart.ts', long, '')], filesReader({ 'src/cart.ts': CART })));
    assert.ok((excerpted ?? '').includes(`"${'x'.repeat(80)}…"`), excerpted);
  });

  it('refuses blocks that overlap or cover the same characters, naming both, and applies nothing', () => {
    const text = 'one\ntwo\nthree\nfour\n';
    const [overlap, ...rest] = problemsOf(
      resolveEdits([replace('n.txt', 'two\nthree\n', 'II\nIII\n'), replace('n.txt', 'one\ntwo\n', 'I\nII\n')], filesReader({ 'n.txt': text })),
    );
    assert.equal(rest.length, 0);
    assert.match(overlap ?? '', /^Search blocks 1 and 2 for n\.txt overlap \(line 2\): merge them/);
    const [same] = problemsOf(resolveEdits([replace('n.txt', 'three', '3'), replace('n.txt', 'three', 'III')], filesReader({ 'n.txt': text })));
    assert.match(same ?? '', /Search blocks 1 and 2 for n\.txt overlap/);
    const [inside] = problemsOf(resolveEdits([replace('n.txt', 'two\nthree\nfour', 'x'), replace('n.txt', 'hre', 'HRE')], filesReader({ 'n.txt': text })));
    assert.match(inside ?? '', /Search blocks 1 and 2 for n\.txt overlap \(line 3\)/);
  });

  it('applies several blocks in one file against the original text, in any order, touching blocks included', () => {
    const text = 'alpha\nbeta\ngamma\ndelta\n';
    const edits = [
      replace('g.txt', 'delta\n', 'DELTA\nEPSILON\n'),
      replace('g.txt', 'alpha\n', ''),
      replace('g.txt', 'beta\n', 'BETA\n'),
      replace('g.txt', 'gamma', 'beta'),
    ];
    const [change] = changesOf(resolveEdits(edits, filesReader({ 'g.txt': text })));
    // The 'gamma' -> 'beta' block does not make the 'beta' block ambiguous: positions come from the original.
    assert.equal(change?.after, 'BETA\nbeta\nDELTA\nEPSILON\n');
  });

  it('matches an LF search block in a CRLF file by converting block and replacement to CRLF', () => {
    const text = 'line one\r\nline two\r\nline three\r\n';
    const [change] = changesOf(resolveEdits([replace('w.txt', 'line one\nline two\n', 'first\nsecond\nsecond and a half\n')], filesReader({ 'w.txt': text })));
    assert.equal(change?.after, 'first\r\nsecond\r\nsecond and a half\r\nline three\r\n');
    // Still exactly once after conversion.
    const [ambiguous] = problemsOf(resolveEdits([replace('w.txt', 'x\ny\n', 'z\n')], filesReader({ 'w.txt': 'x\r\ny\r\nx\r\ny\r\n' })));
    assert.match(ambiguous ?? '', /matches 2 places \(lines 1, 3\)/);
  });

  it('keeps CRLF in a replacement, exact CRLF blocks, and mixed files exact', () => {
    const text = 'a\r\nb\r\nc\r\n';
    const [exact] = changesOf(resolveEdits([replace('w.txt', 'b\r\n', 'B\r\nB2\r\n')], filesReader({ 'w.txt': text })));
    assert.equal(exact?.after, 'a\r\nB\r\nB2\r\nc\r\n');
    // A one-line block matches as written; its LF replacement takes the file's CRLF.
    const [oneLine] = changesOf(resolveEdits([replace('w.txt', 'b', 'b\nb2')], filesReader({ 'w.txt': text })));
    assert.equal(oneLine?.after, 'a\r\nb\r\nb2\r\nc\r\n');
    // A file mixing endings is matched exactly where it can be, and its replacement left as written.
    const mixed = 'a\nb\r\nc\n';
    const [inMixed] = changesOf(resolveEdits([replace('m.txt', 'a\n', 'A\nA2\n')], filesReader({ 'm.txt': mixed })));
    assert.equal(inMixed?.after, 'A\nA2\nb\r\nc\n');
  });

  it('keeps ``` and ```` byte for byte in new files, search blocks and replacements', () => {
    const readme = '# Usage\n\n```ts\nconst a = 1;\n```\n\n````md\n```js\nnested\n```\n````\n';
    const answer = MakerAnswerSchema.parse(
      JSON.parse(
        JSON.stringify({
          summary: 'Document the fence',
          edits: [
            { kind: 'replace', path: 'README.md', search: '```ts\nconst a = 1;\n```\n', replace: '```ts\nconst a = 2;\n```\n\n```\nplain\n```\n' },
            { kind: 'replace', path: 'README.md', search: '````md\n```js\n', replace: '`````md\n````js\n' },
            { kind: 'create', path: 'docs/fences.md', content: '````\n```\n```\n````' },
          ],
        }),
      ),
    );
    const changes = changesOf(resolveEdits(answer.edits, filesReader({ 'README.md': readme })));
    assert.deepEqual(changes, [
      {
        path: 'README.md',
        before: readme,
        after: '# Usage\n\n```ts\nconst a = 2;\n```\n\n```\nplain\n```\n\n`````md\n````js\nnested\n```\n````\n',
        matches: [
          { edit: 1, rung: 'exact', beforeStart: 3, beforeLines: 3 },
          { edit: 2, rung: 'exact', beforeStart: 7, beforeLines: 2 },
        ],
      },
      { path: 'docs/fences.md', before: undefined, after: '````\n```\n```\n````', matches: [] },
    ]);
  });

  it('creates new files with their content exactly as given', () => {
    const content = 'no final newline\r\nmixed\nendings\ttabs  ';
    assert.deepEqual(changesOf(resolveEdits([{ kind: 'create', path: 'new/file.txt', content }], filesReader({}))), [
      { path: 'new/file.txt', before: undefined, after: content, matches: [] },
    ]);
    assert.deepEqual(changesOf(resolveEdits([{ kind: 'create', path: 'empty.txt', content: '' }], filesReader({}))), [
      { path: 'empty.txt', before: undefined, after: '', matches: [] },
    ]);
  });

  it('refuses create for an existing file and replace for a missing one', () => {
    const files = filesReader({ 'src/cart.ts': CART });
    assert.deepEqual(problemsOf(resolveEdits([{ kind: 'create', path: 'src/cart.ts', content: 'x' }], files)), [
      'Edit 1 creates src/cart.ts, which already exists: use replace blocks to change it.',
    ]);
    assert.deepEqual(problemsOf(resolveEdits([replace('src/kart.ts', 'a', 'b')], files)), [
      'Search block 1 for src/kart.ts: the file does not exist. Check the path, or use a create edit with the whole content for a new file.',
    ]);
    // An empty existing file is a file: replace finds nothing in it, create is refused.
    assert.match(problemsOf(resolveEdits([replace('e.txt', 'a', 'b')], filesReader({ 'e.txt': '' })))[0] ?? '', /matches nothing/);
  });

  it('refuses a new file changed by more than one edit', () => {
    const problems = problemsOf(
      resolveEdits(
        [{ kind: 'create', path: 'n.ts', content: 'a' }, replace('other.ts', 'x', 'y'), replace('n.ts', 'a', 'b')],
        filesReader({ 'other.ts': 'x' }),
      ),
    );
    assert.deepEqual(problems, ['Edits 1 and 3 all change the new file n.ts: give its whole content in a single create edit.']);
  });

  it('reports every problem at once, numbered by position in the answer, and changes nothing', () => {
    const files = filesReader({ 'a.txt': 'aaa', 'b.txt': 'b' });
    const problems = problemsOf(resolveEdits([replace('b.txt', 'b', 'B'), replace('a.txt', 'aa', 'x'), replace('b.txt', 'zzz', 'y')], files));
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /^Search block 2 for a\.txt matches 2 places/);
    assert.match(problems[1] ?? '', /^Search block 3 for b\.txt matches nothing/);
  });

  it('returns changes in the order their files first appear, reading each file once', () => {
    const reads: string[] = [];
    const read = (path: string): string | undefined => {
      reads.push(path);
      return { 'b.txt': 'b1\nb2\n', 'a.txt': 'a1\n' }[path];
    };
    const changes = changesOf(resolveEdits([replace('b.txt', 'b1', 'B1'), replace('a.txt', 'a1', 'A1'), replace('b.txt', 'b2', 'B2')], read));
    assert.deepEqual(
      changes.map((change) => [change.path, change.after]),
      [
        ['b.txt', 'B1\nB2\n'],
        ['a.txt', 'A1\n'],
      ],
    );
    assert.deepEqual(reads, ['b.txt', 'a.txt']);
  });
});

describe('MakerAnswerSchema', () => {
  const valid = { summary: 'Round the total', edits: [{ kind: 'replace', path: 'src/cart.ts', search: 'return sum;', replace: 'return round(sum);' }] };

  function issuesOf(value: unknown): string[] {
    const result = MakerAnswerSchema.safeParse(value);
    assert.ok(!result.success, 'expected the answer to be refused');
    return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }

  it('accepts replace and create edits', () => {
    const answer = { ...valid, edits: [...valid.edits, { kind: 'create', path: 'src/round.ts', content: 'export const round = Math.round;\n' }] };
    assert.deepEqual(MakerAnswerSchema.parse(answer), answer);
  });

  it('refuses absolute paths, paths leaving the workspace, and backslashes, saying why', () => {
    const withPath = (path: string): unknown => ({ ...valid, edits: [{ ...valid.edits[0], path }] });
    assert.deepEqual(issuesOf(withPath('/etc/passwd')), [
      'edits.0.path: path "/etc/passwd" is not usable: it is absolute; give a path relative to the workspace',
    ]);
    assert.deepEqual(issuesOf(withPath('C:/x.ts')), ['edits.0.path: path "C:/x.ts" is not usable: it is absolute; give a path relative to the workspace']);
    assert.deepEqual(issuesOf(withPath('src/../../x.ts')), [`edits.0.path: path "src/../../x.ts" is not usable: it leaves the workspace through '..'`]);
    assert.match(issuesOf(withPath('src\\x.ts'))[0] ?? '', /use '\/' as the separator/);
    assert.match(issuesOf({ ...valid, edits: [{ kind: 'create', path: '../x.ts', content: '' }] })[0] ?? '', /^edits\.0\.path: .*leaves the workspace/);
  });

  it('refuses an empty search block and names what a malformed edit lacks', () => {
    assert.deepEqual(issuesOf({ ...valid, edits: [{ ...valid.edits[0], search: '' }] }), [
      'edits.0.search: search must not be empty: copy the exact lines to change from the file',
    ]);
    assert.deepEqual(issuesOf({ ...valid, edits: [{ kind: 'create', path: 'a.ts' }] }), [
      'edits.0: this "create" edit is not valid (content: Invalid input: expected string, received undefined)',
    ]);
    assert.deepEqual(issuesOf({ ...valid, edits: [{ kind: 'delete', path: 'a.ts' }] }), ['edits.0: kind must be one of "replace", "create", got "delete"']);
    assert.deepEqual(issuesOf({ ...valid, edits: ['a.ts'] }), ['edits.0: each edit must be an object with a kind ("replace" or "create") and a path']);
  });

  it('gives a JSON Schema that OpenAI strict mode takes: all fields required, anyOf rather than oneOf', () => {
    const { schema, strict } = jsonSchemaFor(MakerAnswerSchema);
    assert.equal(strict, true);
    const text = JSON.stringify(schema);
    assert.ok(text.includes('"anyOf"'));
    assert.ok(!text.includes('"oneOf"'));
  });
});
