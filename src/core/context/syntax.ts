// Precise structure of a source file (its classes, functions and methods with exact line ranges)
// from tree-sitter grammars compiled to WebAssembly. Parsing costs roughly 4 MB/s, so only the
// files a context plan is likely to use are parsed here; lexicalDefinitions.ts covers the rest.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import { withoutByteOrderMark } from './byteOrderMark';
import type { LanguageId } from './languages';

// Not `import`: the bundler would then take web-tree-sitter's ES module build, whose Node loader
// calls createRequire(import.meta.url), and import.meta is empty in our CommonJS bundles, so
// Parser.init throws in dist/cli.js and dist/extension.js. `require` picks the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser, Query } = require('web-tree-sitter') as typeof TreeSitter;
type Node = TreeSitter.Node;
type QueryMatch = TreeSitter.QueryMatch;

export type DefinitionKind = 'class' | 'interface' | 'function' | 'method' | 'type' | 'enum' | 'module' | 'constant';

export interface Definition {
  name: string;
  kind: DefinitionKind;
  /** 1-based first line, including decorators, annotations, attributes and `export`; not leading comments. */
  startLine: number;
  /** 1-based last line of the body, inclusive. */
  endLine: number;
  /** 1-based last line of the header (`def f(a,\n b):`), between startLine and endLine. */
  signatureEnd: number;
  /**
   * Name of the nearest enclosing definition (class, impl, module, or the function a closure
   * lives in); for out-of-line members the owner named in the code (Go receivers, C++ `A::f`).
   */
  parent?: string;
}

export interface FileSyntax {
  language: LanguageId;
  /** Sorted by startLine; an enclosing definition comes before the ones inside it. */
  definitions: Definition[];
}

const RUNTIME_FILE = 'web-tree-sitter.wasm';

interface LanguageSpec {
  /** Grammar file is `tree-sitter-<grammar>.wasm`. */
  grammar: string;
  /**
   * Each pattern captures the definition as `@definition.<kind>` and its name as `@name`, or as
   * `@declarator` where the name sits at the bottom of a C declarator chain. Optional extras:
   * `@receiver` (Go), `@type` (Go type specs), `@value` (what a constant is bound to).
   */
  query: string;
  /** Parent nodes whose range belongs to the definition (decorators, `export`, `template<>`). */
  wrappers?: ReadonlySet<string>;
  /** Siblings just before the definition that belong to it (TypeScript member decorators, Rust attributes). */
  leadingSiblings?: ReadonlySet<string>;
}

const UPPER_CASE = '"^_*[A-Z][A-Z0-9_]*$"';
const JS_FUNCTION_VALUES = '[(arrow_function) (function_expression) (generator_function)]';

function scriptQuery(dialect: 'typescript' | 'javascript'): string {
  const common = `
    (class_declaration name: (_) @name) @definition.class
    (function_declaration name: (_) @name) @definition.function
    (generator_function_declaration name: (_) @name) @definition.function
    (method_definition name: (_) @name) @definition.method
    (program (lexical_declaration (variable_declarator name: (identifier) @name value: ${JS_FUNCTION_VALUES})) @definition.function)
    (program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: ${JS_FUNCTION_VALUES})) @definition.function))
    (program (lexical_declaration "const" (variable_declarator name: (identifier) @name value: (_) @value)) @definition.constant (#match? @name ${UPPER_CASE}))
    (program (export_statement (lexical_declaration "const" (variable_declarator name: (identifier) @name value: (_) @value)) @definition.constant))
  `;
  if (dialect === 'javascript') {
    return `${common}
      (field_definition property: (_) @name value: ${JS_FUNCTION_VALUES}) @definition.method
    `;
  }
  return `${common}
    (abstract_class_declaration name: (_) @name) @definition.class
    (interface_declaration name: (_) @name) @definition.interface
    (type_alias_declaration name: (_) @name) @definition.type
    (enum_declaration name: (_) @name) @definition.enum
    (public_field_definition name: (_) @name value: ${JS_FUNCTION_VALUES}) @definition.method
    (internal_module name: (_) @name) @definition.module
    (module name: (_) @name) @definition.module
  `;
}

const C_FAMILY_QUERY = `
  (function_definition declarator: (_) @declarator) @definition.function
  (field_declaration_list (field_declaration declarator: (_) @declarator) @definition.method)
  (class_specifier name: (_) @name body: (_)) @definition.class
  (struct_specifier name: (_) @name body: (_)) @definition.class
  (union_specifier name: (_) @name body: (_)) @definition.class
  (enum_specifier name: (_) @name body: (_)) @definition.enum
  (namespace_definition name: (_) @name) @definition.module
  (type_definition declarator: (_) @declarator) @definition.type
  (alias_declaration name: (_) @name) @definition.type
`;

const SCRIPT_WRAPPERS = new Set(['export_statement', 'ambient_declaration']);
const SCRIPT_LEADING = new Set(['decorator']);
const C_WRAPPERS = new Set(['template_declaration']);

// CSS has no grammar here: its rules have no definition kind worth ranking by.
const LANGUAGE_SPECS: Partial<Record<LanguageId, LanguageSpec>> = {
  python: {
    grammar: 'python',
    wrappers: new Set(['decorated_definition']),
    query: `
      (class_definition name: (identifier) @name) @definition.class
      (function_definition name: (identifier) @name) @definition.function
      (module (expression_statement (assignment left: (identifier) @name)) @definition.constant (#match? @name ${UPPER_CASE}))
    `,
  },
  typescript: { grammar: 'typescript', query: scriptQuery('typescript'), wrappers: SCRIPT_WRAPPERS, leadingSiblings: SCRIPT_LEADING },
  tsx: { grammar: 'tsx', query: scriptQuery('typescript'), wrappers: SCRIPT_WRAPPERS, leadingSiblings: SCRIPT_LEADING },
  javascript: { grammar: 'javascript', query: scriptQuery('javascript'), wrappers: SCRIPT_WRAPPERS, leadingSiblings: SCRIPT_LEADING },
  go: {
    grammar: 'go',
    query: `
      (function_declaration name: (_) @name) @definition.function
      (method_declaration receiver: (_) @receiver name: (_) @name) @definition.method
      (type_spec name: (_) @name type: (_) @type) @definition.type
      (type_alias name: (_) @name) @definition.type
    `,
  },
  rust: {
    grammar: 'rust',
    leadingSiblings: new Set(['attribute_item']),
    query: `
      (function_item name: (_) @name) @definition.function
      (function_signature_item name: (_) @name) @definition.method
      (struct_item name: (_) @name) @definition.class
      (union_item name: (_) @name) @definition.class
      (enum_item name: (_) @name) @definition.enum
      (trait_item name: (_) @name) @definition.interface
      (impl_item type: (_) @name) @definition.class
      (mod_item name: (_) @name body: (_)) @definition.module
      (type_item name: (_) @name) @definition.type
      (const_item name: (_) @name) @definition.constant
      (static_item name: (_) @name) @definition.constant
    `,
  },
  java: {
    grammar: 'java',
    query: `
      (class_declaration name: (_) @name) @definition.class
      (record_declaration name: (_) @name) @definition.class
      (interface_declaration name: (_) @name) @definition.interface
      (annotation_type_declaration name: (_) @name) @definition.interface
      (enum_declaration name: (_) @name) @definition.enum
      (method_declaration name: (_) @name) @definition.method
      (constructor_declaration name: (_) @name) @definition.method
      (compact_constructor_declaration name: (_) @name) @definition.method
    `,
  },
  csharp: {
    grammar: 'c-sharp',
    query: `
      (class_declaration name: (_) @name) @definition.class
      (struct_declaration name: (_) @name) @definition.class
      (record_declaration name: (_) @name) @definition.class
      (interface_declaration name: (_) @name) @definition.interface
      (enum_declaration name: (_) @name) @definition.enum
      (delegate_declaration name: (_) @name) @definition.type
      (method_declaration name: (_) @name) @definition.method
      (constructor_declaration name: (_) @name) @definition.method
      (local_function_statement name: (_) @name) @definition.function
      (namespace_declaration name: (_) @name) @definition.module
      (file_scoped_namespace_declaration name: (_) @name) @definition.module
    `,
  },
  c: { grammar: 'cpp', query: C_FAMILY_QUERY, wrappers: C_WRAPPERS },
  cpp: { grammar: 'cpp', query: C_FAMILY_QUERY, wrappers: C_WRAPPERS },
  ruby: {
    grammar: 'ruby',
    query: `
      (class name: (_) @name) @definition.class
      (module name: (_) @name) @definition.module
      (method name: (_) @name) @definition.function
      (singleton_method name: (_) @name) @definition.method
    `,
  },
  php: {
    grammar: 'php',
    query: `
      (class_declaration name: (_) @name) @definition.class
      (trait_declaration name: (_) @name) @definition.class
      (interface_declaration name: (_) @name) @definition.interface
      (enum_declaration name: (_) @name) @definition.enum
      (function_definition name: (_) @name) @definition.function
      (method_declaration name: (_) @name) @definition.method
      (namespace_definition name: (_) @name body: (_)) @definition.module
    `,
  },
  bash: {
    grammar: 'bash',
    query: `(function_definition name: (_) @name) @definition.function`,
  },
};

export function hasSyntaxSupport(language: LanguageId): boolean {
  return LANGUAGE_SPECS[language] !== undefined;
}

/**
 * Where the WebAssembly files are: next to the bundle (dist/, with grammars in dist/grammars)
 * when running from dist/cli.js or dist/extension.js, else the grammar package in node_modules
 * (unit tests and scripts run from the TypeScript sources).
 */
export function defaultWasmDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  if (here && existsSync(join(here, RUNTIME_FILE)) && existsSync(join(here, 'grammars'))) return here;
  try {
    return join(dirname(nodeRequire().resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  } catch {
    // Neither layout: SyntaxParser.create then names the missing runtime file and the fix.
    return here ?? process.cwd();
  }
}

function nodeRequire(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));
}

interface WasmLocations {
  runtime: string;
  grammars: string;
}

// A dist-like folder holds both; the grammar package in node_modules holds only grammars (its own
// tree-sitter.wasm belongs to a different runtime version), so the runtime then comes from web-tree-sitter.
function locateWasm(wasmDir: string): WasmLocations {
  const grammarsSubdir = join(wasmDir, 'grammars');
  const grammars = existsSync(grammarsSubdir) ? grammarsSubdir : wasmDir;
  const besideGrammars = join(wasmDir, RUNTIME_FILE);
  if (existsSync(besideGrammars)) return { runtime: besideGrammars, grammars };
  let runtime: string;
  try {
    runtime = join(dirname(nodeRequire().resolve('web-tree-sitter')), RUNTIME_FILE);
  } catch {
    runtime = besideGrammars;
  }
  return { runtime, grammars };
}

// The Emscripten module behind web-tree-sitter is process-wide: initialise it once.
let runtimeReady: Promise<void> | undefined;

function initRuntime(runtimePath: string): Promise<void> {
  if (!runtimeReady) {
    if (!existsSync(runtimePath)) {
      return Promise.reject(new Error(`Tree-sitter runtime not found at ${runtimePath}; run \`npm run build\` to copy it next to the bundle.`));
    }
    runtimeReady = Parser.init({ locateFile: (file: string) => (file.endsWith('.wasm') ? runtimePath : file) });
    runtimeReady.catch(() => (runtimeReady = undefined));
  }
  return runtimeReady;
}

interface LoadedGrammar {
  language: TreeSitter.Language;
  query: TreeSitter.Query;
}

// Grammars are WebAssembly modules of a few megabytes each: load each file once per process.
const loadedGrammars = new Map<string, Promise<LoadedGrammar>>();

function grammarAt(path: string, spec: LanguageSpec): Promise<LoadedGrammar> {
  let loaded = loadedGrammars.get(path);
  if (!loaded) {
    loaded = loadGrammar(path, spec);
    loadedGrammars.set(path, loaded);
    loaded.catch(() => loadedGrammars.delete(path));
  }
  return loaded;
}

async function loadGrammar(path: string, spec: LanguageSpec): Promise<LoadedGrammar> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`Tree-sitter grammar not found at ${path} (${String(error)}); run \`npm run build\` to copy the grammars.`, { cause: error });
  }
  const language = await Language.load(bytes);
  return { language, query: new Query(language, spec.query) };
}

export class SyntaxParser {
  private constructor(
    private readonly parser: TreeSitter.Parser,
    private readonly grammarDir: string,
  ) {}

  /** Loads the runtime; grammars load on first use and stay cached. */
  static async create(options: { wasmDir?: string } = {}): Promise<SyntaxParser> {
    const locations = locateWasm(options.wasmDir ?? defaultWasmDir());
    await initRuntime(locations.runtime);
    return new SyntaxParser(new Parser(), locations.grammars);
  }

  /**
   * Definitions in `text`. Bad input never throws: syntax errors yield whatever parsed, and an
   * internal failure yields an empty list. A missing grammar file does reject, naming the file.
   */
  async parse(text: string, language: LanguageId): Promise<FileSyntax> {
    const spec = LANGUAGE_SPECS[language];
    if (!spec) return { language, definitions: [] };
    const grammar = await grammarAt(join(this.grammarDir, `tree-sitter-${spec.grammar}.wasm`), spec);
    let tree: TreeSitter.Tree | null = null;
    try {
      this.parser.setLanguage(grammar.language);
      tree = this.parser.parse(withoutByteOrderMark(text));
      if (!tree) return { language, definitions: [] };
      return { language, definitions: extractDefinitions(grammar.query.matches(tree.rootNode), spec) };
    } catch {
      return { language, definitions: [] };
    } finally {
      // Trees live in WebAssembly memory, which the JavaScript garbage collector never frees.
      tree?.delete();
    }
  }
}

interface Candidate {
  name: string;
  kind: DefinitionKind;
  startLine: number;
  endLine: number;
  signatureEnd: number;
  /** Byte range of the definition node itself, for nesting. */
  startIndex: number;
  endIndex: number;
  /** Owner named by the code itself (Go receiver, C++ `A::f`, Ruby `class A::B`). */
  scope?: string;
}

const CONTAINER_KINDS: ReadonlySet<DefinitionKind> = new Set(['class', 'interface']);
const FUNCTION_VALUE_TYPES: ReadonlySet<string> = new Set(['arrow_function', 'function_expression', 'generator_function']);

function extractDefinitions(matches: QueryMatch[], spec: LanguageSpec): Definition[] {
  const candidates = new Map<string, Candidate>();
  for (const match of matches) {
    const candidate = candidateFromMatch(match, spec);
    if (!candidate) continue;
    const key = `${candidate.startIndex}:${candidate.endIndex}:${candidate.name}`;
    if (!candidates.has(key)) candidates.set(key, candidate);
  }
  return assignParents([...candidates.values()]);
}

function candidateFromMatch(match: QueryMatch, spec: LanguageSpec): Candidate | undefined {
  let definition: Node | undefined;
  let kind: DefinitionKind | undefined;
  const captured = new Map<string, Node>();
  for (const capture of match.captures) {
    if (capture.name.startsWith('definition.')) {
      definition = capture.node;
      kind = capture.name.slice('definition.'.length) as DefinitionKind;
    } else {
      captured.set(capture.name, capture.node);
    }
  }
  if (!definition || !kind) return undefined;

  let nameNode = captured.get('name');
  const declarator = captured.get('declarator');
  if (!nameNode && declarator) {
    const resolved = resolveDeclarator(declarator);
    // A class member without a function declarator is a data field, not a method.
    if (kind === 'method' && !resolved.isFunction) return undefined;
    nameNode = resolved.name;
  }
  if (!nameNode) return undefined;
  const { name, scope: qualifiedScope } = simpleName(nameNode);
  if (!name) return undefined;

  const value = captured.get('value');
  // Function-valued constants are already reported as functions by their own pattern.
  if (kind === 'constant' && value && FUNCTION_VALUE_TYPES.has(value.type)) return undefined;
  const typeNode = captured.get('type');
  if (typeNode?.type === 'struct_type') kind = 'class';
  else if (typeNode?.type === 'interface_type') kind = 'interface';

  let scope = qualifiedScope;
  const receiver = captured.get('receiver');
  if (receiver) scope = receiver.descendantsOfType('type_identifier')[0]?.text ?? scope;
  if (kind === 'function' && scope && declarator) kind = 'method';

  let outer = definition;
  while (outer.parent && spec.wrappers?.has(outer.parent.type)) outer = outer.parent;
  let first = outer;
  for (let previous = outer.previousNamedSibling; previous && spec.leadingSiblings?.has(previous.type); previous = previous.previousNamedSibling) {
    first = previous;
  }

  const startLine = first.startPosition.row + 1;
  const endLine = Math.max(startLine, lastLine(outer));
  const headerStart = definition.startPosition.row + 1;
  const signatureEnd = Math.min(endLine, Math.max(headerStart, headerEndLine(definition, nameNode)));
  return { name, kind, startLine, endLine, signatureEnd, startIndex: definition.startIndex, endIndex: definition.endIndex, ...(scope ? { scope } : {}) };
}

// Nodes ending at column 0 end with the previous line's newline; that line is the last one.
function lastLine(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

// The header ends with whatever precedes the body: `):` in Python, `)` or `{`'s line in brace
// languages. Definitions without a body (type aliases, constants) end their header at the name.
function headerEndLine(definition: Node, nameNode: Node): number {
  let body = definition.childForFieldName('body');
  if (!body) {
    const value = nameNode.parent?.childForFieldName('value') ?? definition.childForFieldName('value');
    if (value && FUNCTION_VALUE_TYPES.has(value.type)) body = value.childForFieldName('body');
  }
  if (!body) return nameNode.endPosition.row + 1;
  const beforeBody = body.previousSibling;
  return (beforeBody ?? body).endPosition.row + 1;
}

const DECLARATOR_WRAPPERS: ReadonlySet<string> = new Set([
  'function_declarator',
  'pointer_declarator',
  'reference_declarator',
  'parenthesized_declarator',
  'attributed_declarator',
  'array_declarator',
]);

// C declarators nest the name inside pointers, references and parameter lists: `int *(*f)(void)`.
function resolveDeclarator(declarator: Node): { name: Node; isFunction: boolean } {
  let node = declarator;
  let isFunction = false;
  while (DECLARATOR_WRAPPERS.has(node.type)) {
    if (node.type === 'function_declarator') isFunction = true;
    const inner = node.childForFieldName('declarator') ?? node.namedChildren.find((child) => child !== null && child.type !== 'attribute_declaration');
    if (!inner) break;
    node = inner;
  }
  return { name: node, isFunction };
}

// `ns::Widget::draw` -> draw (scope Widget); `Foo::Bar` -> Bar; `Vec<T>` -> Vec; `'mod'` -> mod.
function simpleName(node: Node): { name: string; scope?: string } {
  let current: Node = node;
  let scope: string | undefined;
  for (let depth = 0; depth < 16; depth++) {
    const type = current.type;
    let next: Node | null = null;
    if (type === 'qualified_identifier' || type === 'scope_resolution') {
      scope = current.childForFieldName('scope')?.text ?? scope;
      next = current.childForFieldName('name');
    } else if (type === 'scoped_type_identifier' || type === 'scoped_identifier') {
      // Rust paths name modules, not owners: `impl fmt::Display` is about Display.
      next = current.childForFieldName('name');
    } else if (type === 'generic_type' || type === 'template_type' || type === 'template_function') {
      next = current.childForFieldName('type') ?? current.childForFieldName('name');
    } else if (type === 'reference_type' || type === 'pointer_type') {
      next = current.childForFieldName('type');
    }
    if (!next) break;
    current = next;
  }
  let name = current.text;
  if (current.type === 'string') name = name.replace(/^['"`]|['"`]$/g, '');
  // The last scope segment is the owner: `a::b::C::f` belongs to C.
  if (scope?.includes('::')) scope = scope.slice(scope.lastIndexOf('::') + 2);
  return scope ? { name, scope } : { name };
}

function assignParents(candidates: Candidate[]): Definition[] {
  candidates.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  const enclosing: Candidate[] = [];
  const definitions: Definition[] = [];
  for (const candidate of candidates) {
    while (enclosing.length > 0 && enclosing[enclosing.length - 1]!.endIndex <= candidate.startIndex) enclosing.pop();
    const container = enclosing[enclosing.length - 1];
    const parent = candidate.scope ?? container?.name;
    let kind = candidate.kind;
    if (kind === 'function' && container && !candidate.scope && CONTAINER_KINDS.has(container.kind)) kind = 'method';
    definitions.push({
      name: candidate.name,
      kind,
      startLine: candidate.startLine,
      endLine: candidate.endLine,
      signatureEnd: candidate.signatureEnd,
      ...(parent !== undefined ? { parent } : {}),
    });
    enclosing.push(candidate);
  }
  return definitions.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
