// How far a search block's indentation is from the file's, when every line is off by the same
// amount: the model copied the lines right but at another nesting level, or with spaces where the
// file has tabs. The replacement is then re-indented by that same amount. A shift that is not the
// same on every line is no shift: the block does not match.

/** The file is the search block with `prefix` added to (or removed from) each line's indentation. */
type PrefixShift = { kind: 'add' | 'remove'; prefix: string };

/** Tabs in one, spaces in the other: indentation levels differ by `delta` on every line. */
interface LevelShift {
  kind: 'levels';
  /** Spaces per level in the search block (0: it indents with tabs). */
  searchUnit: number;
  /** How the file writes one level: "\t" or so many spaces. */
  fileLevel: string;
  delta: number;
}

export type IndentShift = PrefixShift | LevelShift;

/** One non-blank search line's indentation against the file line it lines up with. */
export interface IndentPair {
  search: string;
  file: string;
}

export const NO_SHIFT: IndentShift = { kind: 'add', prefix: '' };

/**
 * The one shift that turns every search indentation into its file line's, or undefined. `fileLevel`
 * is how the file writes a level when it indents with spaces (from the whole file, see fileIndentLevel).
 */
export function detectShift(pairs: readonly IndentPair[], fileLevel: string): IndentShift | undefined {
  return prefixShift(pairs, 'add') ?? prefixShift(pairs, 'remove') ?? levelShift(pairs, fileLevel);
}

/** A replacement line moved by the shift; blank lines stay blank. */
export function reindent(line: string, shift: IndentShift): string {
  if (line.trim() === '') return line;
  const lead = leadingWhitespace(line);
  const body = line.slice(lead.length);
  switch (shift.kind) {
    case 'add':
      return shift.prefix + line;
    case 'remove':
      // A replacement line indented less than the shift (a new outer line) goes to the margin.
      return lead.startsWith(shift.prefix) ? line.slice(shift.prefix.length) : body;
    case 'levels': {
      const { levels, rest } = levelsOf(lead, shift.searchUnit);
      return shift.fileLevel.repeat(Math.max(0, levels + shift.delta)) + rest + body;
    }
  }
}

export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** How the file writes one level of indentation: a tab, or the spaces its indented lines share. */
export function fileIndentLevel(lines: readonly string[]): string {
  const widths = lines
    .map(leadingWhitespace)
    .filter((lead) => lead.length > 0 && !lead.includes('\t'))
    .map((lead) => lead.length);
  const tabbed = lines.filter((line) => line.startsWith('\t')).length;
  if (tabbed > widths.length) return '\t';
  return ' '.repeat(widths.length ? widths.reduce(gcd) : 4);
}

function prefixShift(pairs: readonly IndentPair[], kind: 'add' | 'remove'): PrefixShift | undefined {
  let prefix: string | undefined;
  for (const pair of pairs) {
    const [longer, shorter] = kind === 'add' ? [pair.file, pair.search] : [pair.search, pair.file];
    if (!longer.endsWith(shorter)) return undefined;
    const extra = longer.slice(0, longer.length - shorter.length);
    if (prefix !== undefined && extra !== prefix) return undefined;
    prefix = extra;
  }
  return prefix === undefined ? undefined : { kind, prefix };
}

/** Only for a block that indents with one character and a file that indents with the other. */
function levelShift(pairs: readonly IndentPair[], fileLevel: string): LevelShift | undefined {
  const searchLeads = pairs.map((pair) => pair.search);
  const fileLeads = pairs.map((pair) => pair.file);
  const searchTabs = searchLeads.every((lead) => !lead.includes(' '));
  const searchSpaces = searchLeads.every((lead) => !lead.includes('\t'));
  const fileTabs = fileLeads.every((lead) => !lead.includes(' '));
  const fileSpaces = fileLeads.every((lead) => !lead.includes('\t'));
  if (!((searchSpaces && fileTabs && fileLevel === '\t') || (searchTabs && fileSpaces && fileLevel !== '\t'))) return undefined;
  const spaceWidths = searchLeads.map((lead) => lead.length).filter((width) => width > 0);
  const searchUnit = searchTabs ? 0 : spaceWidths.length ? spaceWidths.reduce(gcd) : 0;
  if (!searchTabs && searchUnit === 0) return undefined; // no indented line shows the block's unit
  let delta: number | undefined;
  for (const pair of pairs) {
    const searchLevels = levelsOf(pair.search, searchUnit);
    const fileLevels = pair.file.length / fileLevel.length;
    if (searchLevels.rest !== '' || !Number.isInteger(fileLevels)) return undefined;
    const lineDelta = fileLevels - searchLevels.levels;
    if (delta !== undefined && lineDelta !== delta) return undefined;
    delta = lineDelta;
  }
  return delta === undefined ? undefined : { kind: 'levels', searchUnit, fileLevel, delta };
}

/** Whole levels in an indentation (tabs count one each, `unit` spaces one), and what is left over. */
function levelsOf(lead: string, unit: number): { levels: number; rest: string } {
  const tabs = lead.split('\t').length - 1;
  const spaces = lead.length - tabs;
  if (unit === 0) return { levels: tabs, rest: ' '.repeat(spaces) };
  return { levels: tabs + Math.floor(spaces / unit), rest: ' '.repeat(spaces % unit) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
