// What a task's text names explicitly: files, modules, symbols, stack frames and error messages.
// These are the strongest hints of where work happens; prose words are left to BM25.

export interface StackFrame {
  path: string; // as written in the trace (may be absolute, or carry a foreign prefix)
  line?: number;
  symbol?: string;
}

export interface TaskMentions {
  /** Path-like strings (`src/a/b.py`, `b.py`, `a/b`). */
  paths: string[];
  /** Dotted module names (`astropy.modeling.separable`), tried as paths. */
  modules: string[];
  /** Identifiers written as code, with how often they were named. */
  symbols: Map<string, number>;
  /** `Class.method` pairs. */
  qualified: [string, string][];
  frames: StackFrame[];
  /** Literal message text from errors and warnings (`ValueError: bad thing` -> `bad thing`). */
  messages: string[];
}

const DETAILS_WEIGHT = 0.25;
const FENCE = /```[^\n]*\n([\s\S]*?)(?:```|$)/g;
const INLINE_CODE = /`([^`\n]+)`/g;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const DOTTED = /\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+\b/g;
const PATH_LIKE =
  /(?:[\w.-]+\/)*[\w.-]+\.(?:py|pyi|pyx|js|jsx|mjs|cjs|ts|tsx|go|rs|java|kt|scala|c|h|cc|cpp|hpp|cs|rb|php|swift|m|sh|json|toml|yaml|yml|cfg|ini|md|rst|txt)\b|(?:[\w.-]+\/)+[\w.-]+/g;
const PY_FRAME = /File "([^"]+)", line (\d+)(?:, in ([A-Za-z_<][\w<>]*))?/g;
const IPY_FRAME = /^\s*(?:~|\/|[A-Za-z]:)?([^\s:]*\.py) in ([A-Za-z_<][\w<>]*)\(/gm;
const JS_FRAME = /at (?:([\w$.<>]+) )?\(?((?:[A-Za-z]:)?[^\s():]+\.[a-z]+):(\d+)(?::\d+)?\)?/g;
const GENERIC_FRAME = /((?:[\w.-]+\/)+[\w.-]+\.[A-Za-z]+):(\d+)/g;
const ERROR_LINE = /\b([A-Z][A-Za-z0-9]*(?:Error|Exception|Warning|Failure))\b:?[ \t]*([^\n]*)/g;

// Words that look like code but say nothing about where (keywords, builtins, common test names).
const COMMON = new Set(
  (
    'import from as def class return self cls none true false if else elif for while in is not and or with try except ' +
    'finally raise lambda yield pass print len str int float list dict set tuple type object range np pd plt os sys re ' +
    'function const let var new this null undefined async await export default require module exports test assert'
  ).split(' '),
);

export function extractMentions(taskText: string): TaskMentions {
  const task = taskText.replace(/\bhttps?:\/\/\S+|\bwww\.\S+/g, ' '); // links name pages, not code
  const code: string[] = [];
  for (const m of task.matchAll(FENCE)) code.push(m[1] ?? '');
  const prose = task.replace(FENCE, ' ');
  for (const m of prose.matchAll(INLINE_CODE)) code.push(m[1] ?? '');

  const symbols = new Map<string, number>();
  const addSymbol = (name: string, weight = 1): void => {
    if (name.length < 3 || COMMON.has(name) || /^\d/.test(name)) return;
    symbols.set(name, (symbols.get(name) ?? 0) + weight);
  };
  // Collapsed <details> mostly hold environment dumps (versions, pip lists): their names count little.
  const detailsText = [...task.matchAll(/<details>[\s\S]*?(?:<\/details>|$)/gi)].map((m) => m[0]).join('\n');
  const inDetails = new Set<string>();
  for (const m of detailsText.matchAll(IDENTIFIER)) inDetails.add(m[0]);
  for (const block of code)
    for (const m of block.matchAll(IDENTIFIER)) addSymbol(m[0], inDetails.has(m[0]) && !prose.replace(detailsText, '').includes(m[0]) ? DETAILS_WEIGHT : 1);
  // Prose identifiers count when they look like code: snake_case, camelCase, or a call.
  for (const m of prose.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b(\()?/g)) {
    const word = m[0].replace(/\($/, '');
    if (m[1] || /_/.test(word.slice(1)) || /[a-z][A-Z]/.test(word)) addSymbol(word);
  }

  // Command-line options name code: `--ignore-paths` is `ignore_paths` in the source.
  for (const m of prose.matchAll(/(?:^|[\s`'"(])-{0,2}([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\b/g)) addSymbol(m[1]!.replace(/-/g, '_'));

  const frames = extractFrames(task);
  for (const f of frames) if (f.symbol) addSymbol(f.symbol, 2);

  const modules = new Set<string>();
  const qualified: [string, string][] = [];
  for (const m of task.matchAll(DOTTED)) {
    const parts = m[0].split('.');
    if (parts.some((p) => /^\d+$/.test(p))) continue; // version numbers, decimals
    modules.add(m[0]);
    const [a, b] = parts.slice(-2) as [string, string];
    if (/^[A-Z]/.test(a) && !COMMON.has(b)) qualified.push([a, b]);
    for (const p of parts) if (p !== parts[0] || parts.length === 2) addSymbol(p, 0.5);
  }
  for (const m of task.matchAll(/^\s*from\s+([\w.]+)\s+import\s+([\w, ()]+)/gm)) {
    modules.add(m[1]!);
    for (const name of (m[2] ?? '').split(/[\s,()]+/)) if (name) addSymbol(name);
  }
  for (const m of task.matchAll(/^\s*import\s+([\w.]+)/gm)) modules.add(m[1]!);

  // Paths written in stack frames are the frames' signal, not named paths as well.
  const framePaths = new Set(frames.map((f) => f.path.replace(/^[~/]+/, '')));
  const paths = new Set<string>();
  for (const m of task.matchAll(PATH_LIKE)) {
    const p = m[0].replace(/^\.?\/+/, '').replace(/^~\/+/, '');
    if (/^\d+(\.\d+)*$/.test(p) || [...framePaths].some((fp) => fp.endsWith(p))) continue;
    paths.add(p);
  }

  const messages = new Set<string>();
  // Command-line options are declared as literal strings: `--collect-only` is greppable.
  for (const m of prose.matchAll(/(?:^|[\s`'"(])(--[a-z][a-z0-9]+(?:-[a-z0-9]+)+)\b/g)) messages.add(m[1]!);
  // Quoted sentences are often messages copied from the program's output.
  for (const m of prose.matchAll(/"([^"\n]{12,160})"|`([^`\n]{12,160})`/g)) {
    const quoted = (m[1] ?? m[2] ?? '').trim();
    if (/\s/.test(quoted) && !/^[\w.]+\(/.test(quoted)) messages.add(quoted);
  }
  for (const m of task.matchAll(ERROR_LINE)) {
    addSymbol(m[1]!, 0.5);
    const text = (m[2] ?? '').trim();
    if (text.length >= 12) messages.add(text.slice(0, 200));
  }
  // Lines of program output (in code blocks, or quoted): a sentence the code may hold verbatim.
  for (const block of code) {
    for (const raw of block.split('\n')) {
      const line = raw.replace(/^\s*(?:[A-Z]+>|E\s|>+|\$|#)?\s*(?:[\w.]*(?:Error|Exception|Warning):\s*)?/, '').trim();
      if (isMessageLike(line)) messages.add(line.slice(0, 200));
    }
  }
  return { paths: [...paths], modules: [...modules], symbols, qualified, frames, messages: [...messages] };
}

function extractFrames(task: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const m of task.matchAll(PY_FRAME)) frames.push({ path: m[1]!, line: Number(m[2]), symbol: m[3] });
  // IPython: "~/x/astropy/wcs/wcs.py in wcs_pix2world(self, *args)" followed by "-> 1354 ..." lines.
  for (const m of task.matchAll(IPY_FRAME)) {
    const after = task.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 2000);
    const arrow = /^-+>\s*(\d+)/m.exec(after);
    frames.push({ path: m[1]!, line: arrow ? Number(arrow[1]) : undefined, symbol: m[2] });
  }
  // V8 lists the innermost frame first; Python last. Frames are kept outermost first.
  const js = [...task.matchAll(JS_FRAME)].map((m) => ({ path: m[2]!, line: Number(m[3]), symbol: m[1]?.split('.').pop() }));
  frames.push(...js.reverse());
  if (frames.length === 0) for (const m of task.matchAll(GENERIC_FRAME)) frames.push({ path: m[1]!, line: Number(m[2]) });
  return frames;
}

/** A sentence, not code and not a stack frame: words and spaces, no calls, assignments or brackets. */
function isMessageLike(line: string): boolean {
  if (line.length < 24 || !/^[A-Za-z]/.test(line) || /[(){}[\]=<>]|^File |, line \d+/.test(line)) return false;
  if (line.split(/\s+/).length < 5) return false;
  return (line.match(/[A-Za-z ]/g)?.length ?? 0) / line.length > 0.8;
}
