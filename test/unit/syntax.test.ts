import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { languageForPath, type LanguageId } from '../../src/core/context/languages';
import { findDefinitionNames } from '../../src/core/context/lexicalDefinitions';
import { defaultWasmDir, hasSyntaxSupport, SyntaxParser, type Definition } from '../../src/core/context/syntax';

// Sources are written line by line so the expected line numbers can be read off the array index (+1).
const lines = (...source: string[]): string => `${source.join('\n')}\n`;

const PYTHON = lines(
  'import functools', //                                   1
  '',
  'LIMIT = 10', //                                         3
  '',
  '',
  'class CompoundModel(Model):', //                        6
  '    """Docstring."""',
  '',
  '    class Inner:', //                                   9
  '        def helper(self):', //                          10
  '            return 1', //                               11
  '',
  '    @property', //                                      13
  '    @functools.lru_cache()',
  '    def separability_matrix(self,', //                  15
  '                            deep=True,',
  '                            ) -> "Matrix":', //         17
  '        def closure():', //                             18
  '            pass',
  '        return closure', //                             20
  '',
  '',
  'async def fetch(url):', //                              23
  '    return url', //                                     24
);

const TYPESCRIPT = lines(
  "import { z } from 'zod';",
  '',
  'export const MAX_ITEMS = 5;', //                        3
  '',
  "@Component({ selector: 'x' })", //                      5
  'export class Ledger<T> extends Base implements Shown {',
  '  private readonly items: T[] = [];',
  '',
  '  @Memoize()', //                                       9
  '  public total(',
  '    from: number,',
  '    to: number,',
  '  ): number {', //                                      13
  '    return to - from;',
  '  }', //                                                15
  '',
  '  onClick = () => this.items.length;', //               17
  '}', //                                                  18
  '',
  'export interface Shown {', //                           20
  '  show(): void;',
  '}',
  '',
  'type Pair = [number, number];', //                      24
  '',
  'export enum Signal {', //                               26
  '  Pinned,',
  '}',
  '',
  'export const packContext = async (budget: number): Promise<number> => {', // 30
  '  return budget;',
  '};',
  '',
  'export function rank(items: string[]): string[] {', // 34
  '  return items;',
  '}',
);

const GO = lines(
  'package ledger',
  '',
  'type Item struct {', //                                 3
  '\tPath   string',
  '\tTokens int',
  '}',
  '',
  'type Ranker interface {', //                            8
  '\tRank(items []Item) []Item',
  '}',
  '',
  'type Budget = int', //                                  12
  '',
  'func (l *Ledger) Add(item Item,', //                    14
  '\treason string) error {',
  '\treturn nil',
  '}',
  '',
  'func Pack[T any](items []T) []T {', //                  19
  '\treturn items',
  '}',
);

const RUST = lines(
  'use std::fmt;',
  '',
  '#[derive(Debug, Clone)]', //                            3
  'pub struct Span {',
  '    start: usize,',
  '}',
  '',
  'pub trait Measure {', //                                8
  '    fn tokens(&self) -> usize;',
  '}',
  '',
  'impl Measure for Span {', //                            12
  '    fn tokens(&self) -> usize {',
  '        self.start',
  '    }',
  '}',
  '',
  'impl fmt::Display for Span {', //                       18
  "    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {",
  '        write!(f, "{}", self.start)',
  '    }',
  '}',
  '',
  'pub const LIMIT: usize = 8;', //                        24
  '',
  'pub fn pack<T>(', //                                    26
  '    items: Vec<T>,',
  ') -> Vec<T>',
  'where',
  '    T: Clone,', //                                      30
  '{',
  '    items',
  '}',
);

const JAVA = lines(
  'package baton;',
  '',
  'import java.util.List;',
  '',
  '@Service', //                                           5
  'public class ContextPlanner extends Planner {',
  '    private final int budget;',
  '',
  '    public ContextPlanner(int budget) {', //            9
  '        this.budget = budget;',
  '    }',
  '',
  '    @Override', //                                      13
  '    public List<String> plan(String task,',
  '                             int limit) throws PlanException {',
  '        if (limit > budget) {',
  '            return List.of();',
  '        }',
  '        return List.of(task);',
  '    }', //                                              20
  '',
  '    interface Step {', //                               22
  '        void run();',
  '    }',
  '',
  '    enum Mode { FAST, SLOW }', //                       26
  '}',
);

const EXPECTED: Record<'python' | 'typescript' | 'go' | 'rust' | 'java', { source: string; definitions: Definition[] }> = {
  python: {
    source: PYTHON,
    definitions: [
      { name: 'LIMIT', kind: 'constant', startLine: 3, endLine: 3, signatureEnd: 3 },
      { name: 'CompoundModel', kind: 'class', startLine: 6, endLine: 20, signatureEnd: 6 },
      { name: 'Inner', kind: 'class', startLine: 9, endLine: 11, signatureEnd: 9, parent: 'CompoundModel' },
      { name: 'helper', kind: 'method', startLine: 10, endLine: 11, signatureEnd: 10, parent: 'Inner' },
      { name: 'separability_matrix', kind: 'method', startLine: 13, endLine: 20, signatureEnd: 17, parent: 'CompoundModel' },
      { name: 'closure', kind: 'function', startLine: 18, endLine: 19, signatureEnd: 18, parent: 'separability_matrix' },
      { name: 'fetch', kind: 'function', startLine: 23, endLine: 24, signatureEnd: 23 },
    ],
  },
  typescript: {
    source: TYPESCRIPT,
    definitions: [
      { name: 'MAX_ITEMS', kind: 'constant', startLine: 3, endLine: 3, signatureEnd: 3 },
      { name: 'Ledger', kind: 'class', startLine: 5, endLine: 18, signatureEnd: 6 },
      { name: 'total', kind: 'method', startLine: 9, endLine: 15, signatureEnd: 13, parent: 'Ledger' },
      { name: 'onClick', kind: 'method', startLine: 17, endLine: 17, signatureEnd: 17, parent: 'Ledger' },
      { name: 'Shown', kind: 'interface', startLine: 20, endLine: 22, signatureEnd: 20 },
      { name: 'Pair', kind: 'type', startLine: 24, endLine: 24, signatureEnd: 24 },
      { name: 'Signal', kind: 'enum', startLine: 26, endLine: 28, signatureEnd: 26 },
      { name: 'packContext', kind: 'function', startLine: 30, endLine: 32, signatureEnd: 30 },
      { name: 'rank', kind: 'function', startLine: 34, endLine: 36, signatureEnd: 34 },
    ],
  },
  go: {
    source: GO,
    definitions: [
      { name: 'Item', kind: 'class', startLine: 3, endLine: 6, signatureEnd: 3 },
      { name: 'Ranker', kind: 'interface', startLine: 8, endLine: 10, signatureEnd: 8 },
      { name: 'Budget', kind: 'type', startLine: 12, endLine: 12, signatureEnd: 12 },
      { name: 'Add', kind: 'method', startLine: 14, endLine: 17, signatureEnd: 15, parent: 'Ledger' },
      { name: 'Pack', kind: 'function', startLine: 19, endLine: 21, signatureEnd: 19 },
    ],
  },
  rust: {
    source: RUST,
    definitions: [
      { name: 'Span', kind: 'class', startLine: 3, endLine: 6, signatureEnd: 4 },
      { name: 'Measure', kind: 'interface', startLine: 8, endLine: 10, signatureEnd: 8 },
      { name: 'tokens', kind: 'method', startLine: 9, endLine: 9, signatureEnd: 9, parent: 'Measure' },
      { name: 'Span', kind: 'class', startLine: 12, endLine: 16, signatureEnd: 12 },
      { name: 'tokens', kind: 'method', startLine: 13, endLine: 15, signatureEnd: 13, parent: 'Span' },
      { name: 'Span', kind: 'class', startLine: 18, endLine: 22, signatureEnd: 18 },
      { name: 'fmt', kind: 'method', startLine: 19, endLine: 21, signatureEnd: 19, parent: 'Span' },
      { name: 'LIMIT', kind: 'constant', startLine: 24, endLine: 24, signatureEnd: 24 },
      { name: 'pack', kind: 'function', startLine: 26, endLine: 33, signatureEnd: 30 },
    ],
  },
  java: {
    source: JAVA,
    definitions: [
      { name: 'ContextPlanner', kind: 'class', startLine: 5, endLine: 27, signatureEnd: 6 },
      { name: 'ContextPlanner', kind: 'method', startLine: 9, endLine: 11, signatureEnd: 9, parent: 'ContextPlanner' },
      { name: 'plan', kind: 'method', startLine: 13, endLine: 20, signatureEnd: 15, parent: 'ContextPlanner' },
      { name: 'Step', kind: 'interface', startLine: 22, endLine: 24, signatureEnd: 22, parent: 'ContextPlanner' },
      { name: 'run', kind: 'method', startLine: 23, endLine: 23, signatureEnd: 23, parent: 'Step' },
      { name: 'Mode', kind: 'enum', startLine: 26, endLine: 26, signatureEnd: 26, parent: 'ContextPlanner' },
    ],
  },
};

const LANGUAGES = Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>;

// One parser for the whole file: creating it is cheap, but each test pays for nothing twice.
let sharedParser: Promise<SyntaxParser> | undefined;
const syntaxParser = (): Promise<SyntaxParser> => (sharedParser ??= SyntaxParser.create());

const nameAndKind = (items: ReadonlyArray<{ name: string; kind: string }>): string[] => items.map((d) => `${d.kind} ${d.name}`).sort();

describe('syntax: tree-sitter definitions', () => {
  let parser: SyntaxParser;
  before(async () => {
    parser = await syntaxParser();
  });

  for (const language of LANGUAGES) {
    it(`finds ${language} definitions with exact line ranges and parents`, async () => {
      const { source, definitions } = EXPECTED[language];
      assert.deepEqual((await parser.parse(source, language)).definitions, definitions);
    });

    it(`gives the same ${language} definitions for CRLF line endings`, async () => {
      const { source, definitions } = EXPECTED[language];
      assert.deepEqual((await parser.parse(source.replace(/\n/g, '\r\n'), language)).definitions, definitions);
    });
  }

  it('keeps what parses around a syntax error', async () => {
    const broken = lines('def ok():', '    return 1', '', 'def broken(:', '    pass', '', 'class Fine:', '    def m(self): pass');
    const names = (await parser.parse(broken, 'python')).definitions.map((d) => d.name);
    assert.ok(names.includes('ok') && names.includes('Fine') && names.includes('m'), names.join(', '));
  });

  it('never throws on garbage, truncated or empty input in any supported language', async () => {
    const supported = (
      ['python', 'typescript', 'tsx', 'javascript', 'go', 'rust', 'java', 'c', 'cpp', 'csharp', 'ruby', 'php', 'bash', 'css'] as LanguageId[]
    ).filter(hasSyntaxSupport);
    const garbage = ['', '\u0000\uffff\ud800', 'class {{{ def ( ]] fn impl <<< end', JAVA.slice(0, 200), 'x'.repeat(2_000)];
    for (const language of supported) {
      for (const text of garbage) {
        const result = await parser.parse(text, language);
        assert.equal(result.language, language);
        assert.ok(Array.isArray(result.definitions));
      }
    }
  });

  it('finds definitions in the other supported grammars', async () => {
    const samples: Array<[LanguageId, string, string[]]> = [
      ['javascript', lines('class A {', '  m() {}', '}', 'const f = () => 1;'), ['class A', 'function f', 'method m']],
      ['tsx', lines('export function View(): JSX.Element {', '  return <div />;', '}'), ['function View']],
      ['c', lines('struct point { int x; };', 'static int area(struct point *p) {', '  return 0;', '}'), ['class point', 'function area']],
      [
        'cpp',
        lines('namespace ui {', 'class Widget {', ' public:', '  void draw();', '};', '}', 'void ui::Widget::draw() {}'),
        ['class Widget', 'method draw', 'method draw', 'module ui'],
      ],
      ['csharp', lines('namespace N;', 'public class C {', '  public int F() => 1;', '}'), ['class C', 'method F', 'module N']],
      [
        'ruby',
        lines('module Baton', '  class Plan', '    def self.load; end', '    def run; end', '  end', 'end'),
        ['class Plan', 'method load', 'method run', 'module Baton'],
      ],
      ['php', lines('<?php', 'class Plan {', '  public function run() {}', '}', 'function helper() {}'), ['class Plan', 'function helper', 'method run']],
      ['bash', lines('build() {', '  npm run build', '}'), ['function build']],
    ];
    for (const [language, source, expected] of samples) {
      const { definitions } = await parser.parse(source, language);
      assert.deepEqual(nameAndKind(definitions), expected, language);
    }
  });

  it('finds the WebAssembly files next to the sources when not bundled', () => {
    assert.ok(existsSync(join(defaultWasmDir(), 'tree-sitter-python.wasm')), defaultWasmDir());
  });
});

describe('syntax: lexical definition scanner', () => {
  let parser: SyntaxParser;
  before(async () => {
    parser = await syntaxParser();
  });

  for (const language of LANGUAGES) {
    it(`finds the same ${language} names and kinds as tree-sitter`, async () => {
      const { source } = EXPECTED[language];
      const precise = (await parser.parse(source, language)).definitions;
      assert.deepEqual(nameAndKind(findDefinitionNames(source, language)), nameAndKind(precise));
    });
  }

  it('reports the line of the name, not of its decorators', () => {
    const found = findDefinitionNames(PYTHON.replace(/\n/g, '\r\n'), 'python').map((d) => `${d.line} ${d.name}`);
    assert.deepEqual(found, ['3 LIMIT', '6 CompoundModel', '9 Inner', '10 helper', '15 separability_matrix', '18 closure', '23 fetch']);
  });

  it('ignores prose that merely mentions a keyword', () => {
    const docstring = lines('def f():', '    """', '    class of objects to return', '    def ault value', '    """');
    assert.deepEqual(
      findDefinitionNames(docstring, 'python').map((d) => d.name),
      ['f'],
    );
  });

  it('finds Go specs grouped in a type block', () => {
    const grouped = lines('type (', '\tPlan struct {', '\t\tSteps int', '\t}', '\tStep = int', ')');
    assert.deepEqual(
      findDefinitionNames(grouped, 'go').map((d) => `${d.line} ${d.kind} ${d.name}`),
      ['2 class Plan', '5 type Step'],
    );
  });

  it('finds nothing for unknown languages or empty text', () => {
    assert.deepEqual(findDefinitionNames('def f(): pass', undefined), []);
    assert.deepEqual(findDefinitionNames('', 'python'), []);
  });
});

describe('languages: languageForPath', () => {
  it('maps extensions to languages', () => {
    const cases: Array<[string, LanguageId | undefined]> = [
      ['astropy/modeling/separable.py', 'python'],
      ['stubs/x.pyi', 'python'],
      ['src/a.mts', 'typescript'],
      ['webview/App.tsx', 'tsx'],
      ['lib/x.jsx', 'javascript'],
      ['C:\\repo\\main.GO', 'go'],
      ['include/list.h', 'c'],
      ['src/widget.hpp', 'cpp'],
      ['App.cs', 'csharp'],
      ['bin/setup.sh', 'bash'],
      ['README.md', undefined],
      ['.bashrc', undefined],
      ['a.dir/Makefile', undefined],
    ];
    for (const [path, language] of cases) assert.equal(languageForPath(path), language, path);
  });
});
