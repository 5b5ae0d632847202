// Text from the model or the workspace (node titles, breaker findings, checkpoint labels, paths,
// test output, error messages quoting them) is shown to the person on surfaces that turn some of
// it into live links: a notification or progress message renders `[x](command:...)` as a link
// that runs a command on one click, a Markdown document renders links and autolinks, a quick pick
// or status bar turns `$(name)` into an icon. These functions make such text inert where it is
// shown while keeping it readable: the breaks they insert are invisible.

/** Zero-width space: invisible, but no link syntax survives one inside it. */
const BREAK = '\u200B';

// Bidirectional overrides reorder what is shown against what is there ("Trojan Source").
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// C0 and C1 control characters other than tab and line feed.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Schemes VS Code opens on a click (command: runs a command), found anywhere, as a linkifier
// finds "https://" inside a word too.
const LINK_SCHEME = /(command|vscode(?:-[a-z]+)*|file|mailto)(?=:)/gi;

/**
 * For notifications, progress, dialogs and diagnostics: no Markdown link (`[x](y)`, `[x][y]`, a
 * `[y]: url` definition), no
 * autolink (`<scheme:...>`) and no URI (`command:`, `vscode:`, `file:`, `https://`) stays
 * recognisable, and control characters that reorder or hide text are gone.
 */
export function plainText(text: string): string {
  return terminalText(text)
    .replace(/\](?=[([:])/g, `]${BREAK}`)
    .replace(/<(?=[a-z][a-z0-9+.-]*:)/gi, `<${BREAK}`)
    .replace(LINK_SCHEME, `$1${BREAK}`)
    .replace(/:\/\//g, `:${BREAK}//`);
}

/**
 * For a terminal: no escape or control sequence (colours, cursor moves, OSC 8 links, a new window
 * title, a cleared screen) and nothing that reorders the text survives; tabs and line breaks stay.
 * ESC and the C1 controls become spaces, so what followed them shows as inert text.
 */
export function terminalText(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(CONTROLS, ' ');
}

/** For one-line labels (quick picks, input box titles, status bar): also no line break and no `$(icon)`. */
export function labelText(text: string): string {
  return plainText(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\$\(/g, '\\$(');
}

/**
 * For text placed inside a line of a Markdown document: on one line, with no emphasis, code, link,
 * HTML or table syntax, and no bare domain, e-mail address or `//host` a linkifier would make a
 * link of ("www.example.com/x", "a@example.com", "//example.com": a dot inside a name and a double
 * slash are broken).
 */
export function markdownText(text: string): string {
  return plainText(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\\`*_{}[\]<>#|~]/g, (c) => `\\${c}`)
    .replace(/\.(?=[^\s.])/g, `.${BREAK}`)
    .replace(/\/\//g, `/${BREAK}/`);
}

// Characters a command can hold that a question would not show as themselves: line breaks of any
// kind and tabs (a second command on the next line), other controls, the invisible ones (zero-width
// characters, direction overrides), blanks other than the space and the braille blank, and a
// combining mark stacked on another (stacked marks can cover the text beside them).
const UNSEEN_IN_COMMAND = new RegExp(
  `${CONTROLS.source.slice(0, -1)}\\n\\t\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\u2800]|[^\\S ]|(?<=\\p{M})\\p{M}`,
  'gu',
);
const UNSEEN_NAMES: Record<string, string> = { '\n': '⏎', '\t': '[tab]' };

/**
 * A shell command as an approval question quotes it: every character that runs shows as itself or
 * by name. A run of spaces, which could push the rest of a command out of a notification, is shown
 * by its length ("[4000 blanks]"), a run of another blank by its length and name ("[40 × U+00A0]",
 * which the shell does not split words at); line breaks, tabs and invisible characters are named
 * ("⏎", "[U+200B]").
 */
export function shownCommand(command: string): string {
  return command
    .replace(/([^\S\n\r\t\u2028\u2029])\1{2,}/g, (run, blank: string) => (blank === ' ' ? ` [${run.length} blanks] ` : `[${run.length} × ${codeName(blank)}]`))
    .replace(UNSEEN_IN_COMMAND, (c) => UNSEEN_NAMES[c] ?? `[${codeName(c)}]`);
}

const codeName = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
