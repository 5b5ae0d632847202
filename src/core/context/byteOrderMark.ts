// Files saved by Windows tools often begin with a byte-order mark. The scan keeps it, since what a
// plan shows is the file as it is; parsers must not see it, since before `class` or `def` on line 1
// it hides the definition. Dropping it keeps every line number.
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
