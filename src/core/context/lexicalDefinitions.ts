// Where names are defined, found by regular expressions line by line. It runs over every file of
// a repository (tree-sitter would take seconds there), so it trades precision for speed: it
// misses multi-line signatures in brace languages and can be fooled by code inside strings.
// syntax.ts gives exact structure for the few files a plan actually uses.
import { withoutByteOrderMark } from './byteOrderMark';
import type { LanguageId } from './languages';
import type { DefinitionKind } from './syntax';

export interface LexicalDefinition {
  name: string;
  /** 1-based line of the name. */
  line: number;
  kind: DefinitionKind;
}

type Groups = ReadonlyArray<string | undefined>;

interface LexicalRule {
  /** Matched right after a line's indentation. Group `nameGroup` (default 1) is the name. */
  pattern: string;
  kind: DefinitionKind | ((groups: Groups) => DefinitionKind);
  nameGroup?: number;
  /** `top`: only at column 0 (module-level constants); `nested`: only indented (class members). */
  where?: 'top' | 'nested';
  /** The rule has no keyword of its own (`name(...) {`), so control-flow keywords can look like names. */
  keywordless?: true;
}

const ID = '[A-Za-z_\\u00C0-\\uFFFF][\\w\\u00C0-\\uFFFF]*';
const JS_ID = '[A-Za-z_$\\u00C0-\\uFFFF][\\w$\\u00C0-\\uFFFF]*';
const UPPER_ID = '_*[A-Z][A-Z0-9_]*';
const SP = '[ \\t]';

const PYTHON: LexicalRule[] = [
  // The required `(` or `:` keeps prose in docstrings ("a class of ...") out.
  { pattern: `(?:async${SP}+)?def${SP}+(${ID})${SP}*[(\\[]`, kind: 'function' },
  { pattern: `class${SP}+(${ID})${SP}*[(:\\[]`, kind: 'class' },
  { pattern: `(${UPPER_ID})${SP}*(?::[^=\\n]*)?=(?!=)`, kind: 'constant', where: 'top' },
];

const JS_PARAMS = '\\([^()\\n]*(?:\\([^()\\n]*\\)[^()\\n]*)*\\)';
const JS_FUNCTION_VALUE = `(?:async\\b${SP}*)?(?:function\\b|${JS_PARAMS}${SP}*(?::[^=\\n]*?)?=>|\\(${SP}*$|${JS_ID}${SP}*=>|<[^\\n]*>${SP}*\\()`;
const JS_MEMBER_MODIFIERS = `(?:(?:public|private|protected|static|readonly|async|override|abstract|declare|get|set|accessor)${SP}+)*`;

const SCRIPT: LexicalRule[] = [
  { pattern: `(?:export${SP}+)?(?:default${SP}+)?(?:declare${SP}+)?(?:abstract${SP}+)?class${SP}+(${JS_ID})`, kind: 'class' },
  { pattern: `(?:export${SP}+)?(?:declare${SP}+)?interface${SP}+(${JS_ID})`, kind: 'interface' },
  { pattern: `(?:export${SP}+)?(?:declare${SP}+)?type${SP}+(${JS_ID})${SP}*(?:<[^\\n]*?>)?${SP}*=`, kind: 'type' },
  { pattern: `(?:export${SP}+)?(?:declare${SP}+)?(?:const${SP}+)?enum${SP}+(${JS_ID})`, kind: 'enum' },
  { pattern: `(?:export${SP}+)?(?:default${SP}+)?(?:declare${SP}+)?(?:async${SP}+)?function\\b${SP}*\\*?${SP}*(${JS_ID})`, kind: 'function' },
  {
    pattern: `(?:export${SP}+)?(?:declare${SP}+)?(?:namespace|module)${SP}+(${JS_ID}(?:\\.${JS_ID})*|'[^'\\n]+'|"[^"\\n]+")`,
    kind: 'module',
  },
  { pattern: `(?:export${SP}+)?(?:const|let)${SP}+(${JS_ID})${SP}*(?::[^=\\n]*)?=${SP}*${JS_FUNCTION_VALUE}`, kind: 'function', where: 'top' },
  { pattern: `export${SP}+const${SP}+(${JS_ID})`, kind: 'constant', where: 'top' },
  { pattern: `const${SP}+(${UPPER_ID})${SP}*[:=]`, kind: 'constant', where: 'top' },
  // A member header on one line: `name(args): T {`. Calls taking callbacks end in `=> {`, not `) {`.
  {
    pattern: `${JS_MEMBER_MODIFIERS}\\*?${SP}*(#?${JS_ID})${SP}*(?:<[^\\n]*?>)?${SP}*\\([^\\n]*\\)${SP}*(?::[^\\n{=]*?)?${SP}*\\{`,
    kind: 'method',
    where: 'nested',
    keywordless: true,
  },
  // Formatters break long member headers after `(`; a modifier tells a method from a call.
  {
    pattern: `(?:(?:public|private|protected|static|async|override|abstract|get|set)${SP}+)+\\*?${SP}*(#?${JS_ID})${SP}*(?:<[^\\n]*?>)?${SP}*\\(${SP}*$`,
    kind: 'method',
    where: 'nested',
    keywordless: true,
  },
  { pattern: `(constructor)${SP}*\\(${SP}*$`, kind: 'method', where: 'nested' },
  {
    pattern: `${JS_MEMBER_MODIFIERS}(#?${JS_ID})${SP}*(?::[^=\\n]*?)?=${SP}*(?:async${SP}+)?(?:${JS_PARAMS}|${JS_ID})${SP}*(?::[^=\\n]*?)?=>`,
    kind: 'method',
    where: 'nested',
    keywordless: true,
  },
];

const GO_TYPE_SPEC = `(${ID})${SP}*(?:\\[[^\\n]*?\\]${SP}*)?(=${SP}*)?(struct\\b|interface\\b)?`;
const goTypeKind = (groups: Groups): DefinitionKind => (groups[3] === 'struct' ? 'class' : groups[3] === 'interface' ? 'interface' : 'type');

const GO: LexicalRule[] = [
  { pattern: `func${SP}+(${ID})`, kind: 'function' },
  { pattern: `func${SP}*\\([^)\\n]*\\)${SP}*(${ID})`, kind: 'method' },
  { pattern: `type${SP}+${GO_TYPE_SPEC}`, kind: goTypeKind },
];
// Specs inside `type ( ... )` blocks, scanned separately since they need the block as context.
const GO_TYPE_BLOCK = /^type[ \t]*\([ \t]*\r?\n([\s\S]*?)^\)/gm;
const GO_BLOCK_SPEC = new RegExp(`^([ \\t]+)${GO_TYPE_SPEC}`, 'gm');

const RUST_VISIBILITY = `(?:pub(?:${SP}*\\([^)\\n]*\\))?${SP}+)?`;
const RUST: LexicalRule[] = [
  {
    pattern: `${RUST_VISIBILITY}(?:(?:default|const|async|unsafe|extern(?:${SP}+"[^"\\n]*")?)${SP}+)*fn${SP}+(${ID})`,
    kind: 'function',
  },
  {
    pattern: `${RUST_VISIBILITY}(?:unsafe${SP}+)?(struct|enum|union|trait|type|const|static)${SP}+(?:mut${SP}+)?(${ID})`,
    nameGroup: 2,
    kind: (groups) => RUST_ITEM_KINDS[groups[1] ?? ''] ?? 'type',
  },
  { pattern: `${RUST_VISIBILITY}mod${SP}+(${ID})${SP}*\\{`, kind: 'module' },
  {
    pattern: `(?:unsafe${SP}+)?impl\\b(?:${SP}*<[^\\n{]*?>)?${SP}+(?:[^\\n{]*?${SP}+for${SP}+)?[&*]?(?:(?:mut|dyn)${SP}+)?(?:${ID}::)*(${ID})`,
    kind: 'class',
  },
];
const RUST_ITEM_KINDS: Record<string, DefinitionKind> = {
  struct: 'class',
  union: 'class',
  enum: 'enum',
  trait: 'interface',
  type: 'type',
  const: 'constant',
  static: 'constant',
};

const JVM_MODIFIER = `(?:public|private|protected|internal|static|final|abstract|sealed|non-sealed|partial|readonly|strictfp|unsafe|new|file|ref|synchronized|native|default|virtual|override|async|extern|transient|volatile|@${ID}(?:\\([^)\\n]*\\))?)`;
const JVM_TYPE = `(?!(?:return|new|throw|else|await|yield|case|goto|using|var|in|out|is|as|typeof|sizeof|lock|import|package)\\b)[\\w.$]+(?:<[^\\n]*?>)?(?:\\[${SP}*,*${SP}*\\])*\\??`;
const JVM_DECLARATION_KINDS: Record<string, DefinitionKind> = { interface: 'interface', '@interface': 'interface', enum: 'enum' };

const JAVA_AND_CSHARP: LexicalRule[] = [
  {
    pattern: `(?:${JVM_MODIFIER}${SP}+)*(class|interface|enum|record(?:${SP}+(?:struct|class))?|struct|@interface)${SP}+(${ID})`,
    nameGroup: 2,
    kind: (groups) => JVM_DECLARATION_KINDS[groups[1] ?? ''] ?? 'class',
  },
  { pattern: `namespace${SP}+(${ID}(?:\\.${ID})*)`, kind: 'module' },
  { pattern: `(?:${JVM_MODIFIER}${SP}+)*(?:<[^\\n]*?>${SP}+)?${JVM_TYPE}${SP}+(${ID})${SP}*\\(`, kind: 'method', where: 'nested', keywordless: true },
  // Constructors have no return type: accept them with an access modifier or a `{` on the same line.
  { pattern: `(?:public|private|protected|internal)${SP}+(?:${JVM_MODIFIER}${SP}+)*(${ID})${SP}*\\(`, kind: 'method', where: 'nested', keywordless: true },
  { pattern: `(${ID})${SP}*\\([^;\\n]*\\)${SP}*(?:throws[^{;\\n]*)?\\{`, kind: 'method', where: 'nested', keywordless: true },
];

const C_NAME = `~?${ID}(?:::~?${ID})*`;
const C_FAMILY: LexicalRule[] = [
  {
    pattern: `(?:template${SP}*<[^\\n]*>${SP}*)?(?:typedef${SP}+)?(class|struct|union|enum(?:${SP}+(?:class|struct))?)${SP}+(?:[A-Z_][A-Z0-9_]*${SP}+)*(${ID})${SP}*(?:final${SP}*)?(?::[^;{\\n]*)?(?:\\{|$)`,
    nameGroup: 2,
    kind: (groups) => (groups[1]?.startsWith('enum') ? 'enum' : 'class'),
  },
  { pattern: `namespace${SP}+(${ID}(?:::${ID})*)`, kind: 'module' },
  { pattern: `using${SP}+(${ID})${SP}*=`, kind: 'type' },
  { pattern: `typedef${SP}+[^;\\n]*?[ \\t*&(]+(${ID})${SP}*(?:\\)${SP}*\\([^;\\n]*\\))?${SP}*(?:\\[[^\\]\\n]*\\])?${SP}*;`, kind: 'type' },
  { pattern: `\\}${SP}*(${ID})${SP}*;`, kind: 'type' },
  // `type name(` with no `;` after it, or with a body opening on the same line.
  {
    pattern: `(?!(?:return|else|case|goto|throw|delete|new|using|typedef|friend|co_return|co_yield)\\b)[\\w:<>,*&~ \\t]*?[\\w>*&][ \\t*&]+(${C_NAME}|operator[^\\n(]*)${SP}*\\((?:[^;\\n]*\\)[\\w ]*\\{[^\\n]*|[^;\\n]*)$`,
    kind: (groups) => (groups[1]?.includes('::') ? 'method' : 'function'),
    keywordless: true,
  },
  // GNU style puts the return type on the line before: `static int\nfoo (void)`.
  { pattern: `(${ID})${SP}*\\([^;\\n]*\\)${SP}*\\{?${SP}*$`, kind: 'function', where: 'top', keywordless: true },
];

const RUBY: LexicalRule[] = [
  {
    pattern: `def${SP}+(self\\.|${ID}\\.)?(${ID}[?!=]?|\\[\\]=?|[-+*/%<>=!~^&|]+)`,
    nameGroup: 2,
    kind: (groups) => (groups[1] ? 'method' : 'function'),
  },
  { pattern: `class${SP}+(?:${ID}::)*(${ID})`, kind: 'class' },
  { pattern: `module${SP}+(?:${ID}::)*(${ID})`, kind: 'module' },
];

const PHP: LexicalRule[] = [
  {
    pattern: `(?:(?:abstract|final|readonly)${SP}+)*(class|interface|trait|enum)${SP}+(${ID})`,
    nameGroup: 2,
    kind: (groups) => (groups[1] === 'interface' ? 'interface' : groups[1] === 'enum' ? 'enum' : 'class'),
  },
  { pattern: `(?:(?:public|private|protected|static|abstract|final)${SP}+)*function${SP}+&?(${ID})`, kind: 'function' },
  { pattern: `namespace${SP}+(${ID}(?:\\\\${ID})*)${SP}*\\{`, kind: 'module' },
];

const BASH_ID = '[A-Za-z_][\\w.:-]*';
const BASH: LexicalRule[] = [
  { pattern: `function${SP}+(${BASH_ID})`, kind: 'function' },
  { pattern: `(${BASH_ID})${SP}*\\(${SP}*\\)`, kind: 'function' },
];

const RULES: Partial<Record<LanguageId, LexicalRule[]>> = {
  python: PYTHON,
  typescript: SCRIPT,
  tsx: SCRIPT,
  javascript: SCRIPT,
  go: GO,
  rust: RUST,
  java: JAVA_AND_CSHARP,
  csharp: JAVA_AND_CSHARP,
  c: C_FAMILY,
  cpp: C_FAMILY,
  ruby: RUBY,
  php: PHP,
  bash: BASH,
};

// Control-flow keywords that look like `name(...)` to the brace-language rules.
const NOT_NAMES: ReadonlySet<string> = new Set([
  'if',
  'else',
  'for',
  'foreach',
  'while',
  'do',
  'switch',
  'case',
  'catch',
  'try',
  'finally',
  'return',
  'throw',
  'new',
  'delete',
  'function',
  'typeof',
  'sizeof',
  'await',
  'yield',
  'with',
  'using',
  'lock',
  'fixed',
  'synchronized',
  'super',
  'this',
  'elif',
  'unless',
  'until',
  'defined',
  'decltype',
  'alignof',
  'static_assert',
]);

interface CompiledRules {
  regex: RegExp;
  rules: Array<{ rule: LexicalRule; nameIndex: number; firstGroup: number; groupCount: number }>;
}

const compiledCache = new Map<LexicalRule[], CompiledRules>();

function compile(rules: LexicalRule[]): CompiledRules {
  let compiled = compiledCache.get(rules);
  if (compiled) return compiled;
  let nextGroup = 1;
  const layout = rules.map((rule) => {
    const groupCount = (new RegExp(`${rule.pattern}|`).exec('')?.length ?? 1) - 1;
    const entry = { rule, nameIndex: nextGroup + (rule.nameGroup ?? 1) - 1, firstGroup: nextGroup, groupCount };
    nextGroup += groupCount;
    return entry;
  });
  // One pass per file: every rule is an alternative after the line's indentation.
  const regex = new RegExp(`^[ \\t]*(?:${rules.map((rule) => `(?:${rule.pattern})`).join('|')})`, 'gm');
  compiled = { regex, rules: layout };
  compiledCache.set(rules, compiled);
  return compiled;
}

interface Found {
  name: string;
  index: number;
  indent: number;
  kind: DefinitionKind;
}

/** Definitions found lexically, in file order. An unknown language yields none. */
export function findDefinitionNames(fileText: string, language: LanguageId | undefined): LexicalDefinition[] {
  const text = withoutByteOrderMark(fileText);
  const rules = language ? RULES[language] : undefined;
  if (!rules || text.length === 0) return [];
  const { regex, rules: layout } = compile(rules);
  const found: Found[] = [];
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    const entry = layout.find((candidate) => match[candidate.nameIndex] !== undefined);
    if (!entry) continue;
    const indent = indentation(text, match.index);
    const where = entry.rule.where;
    if ((where === 'top' && indent > 0) || (where === 'nested' && indent === 0)) continue;
    const name = cleanName(match[entry.nameIndex]!);
    if (!name || (entry.rule.keywordless && NOT_NAMES.has(name))) continue;
    const groups = match.slice(entry.firstGroup - 1, entry.firstGroup + entry.groupCount);
    const kind = typeof entry.rule.kind === 'function' ? entry.rule.kind(groups) : entry.rule.kind;
    found.push({ name, index: match.index + indent, indent, kind });
  }
  if (language === 'go') found.push(...goTypeBlocks(text));
  return withLinesAndMethods(text, found);
}

function indentation(text: string, lineStart: number): number {
  let at = lineStart;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
  return at - lineStart;
}

// `A::draw` -> draw; quoted module names lose their quotes.
function cleanName(raw: string): string {
  const scoped = raw.lastIndexOf('::');
  const name = scoped >= 0 ? raw.slice(scoped + 2) : raw;
  return name.replace(/^['"]|['"]$/g, '').trim();
}

function goTypeBlocks(text: string): Found[] {
  const found: Found[] = [];
  GO_TYPE_BLOCK.lastIndex = 0;
  for (let block = GO_TYPE_BLOCK.exec(text); block; block = GO_TYPE_BLOCK.exec(text)) {
    const body = block[1] ?? '';
    const bodyStart = block.index + block[0].indexOf(body);
    let specIndent: number | undefined;
    GO_BLOCK_SPEC.lastIndex = 0;
    for (let spec = GO_BLOCK_SPEC.exec(body); spec; spec = GO_BLOCK_SPEC.exec(body)) {
      const indent = spec[1]!.length;
      // Deeper lines are struct fields or interface methods of an inline type.
      specIndent ??= indent;
      if (indent !== specIndent) continue;
      found.push({ name: spec[2]!, index: bodyStart + spec.index + indent, indent, kind: goTypeKind(spec.slice(1)) });
    }
  }
  return found;
}

// Lines are counted in one sweep; a function indented under a class-like definition is a method.
function withLinesAndMethods(text: string, found: Found[]): LexicalDefinition[] {
  found.sort((a, b) => a.index - b.index);
  const enclosing: Found[] = [];
  const definitions: LexicalDefinition[] = [];
  let line = 1;
  let counted = 0;
  for (const item of found) {
    line += countNewlines(text, counted, item.index);
    counted = item.index;
    while (enclosing.length > 0 && enclosing[enclosing.length - 1]!.indent >= item.indent) enclosing.pop();
    const container = enclosing[enclosing.length - 1];
    const kind = item.kind === 'function' && container && (container.kind === 'class' || container.kind === 'interface') ? 'method' : item.kind;
    definitions.push({ name: item.name, line, kind });
    enclosing.push(item);
  }
  return definitions;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
