// The journal's figures as text: a plain table for the terminal (`baton journal`) and a Markdown
// document for VS Code ("Baton: Show Journal"). Both show the same columns.
import type { JournalFigures, JournalSummary } from './summariseJournal';
import { markdownText } from '../security/untrustedText';
import { MATCH_RUNGS, RUNG_LABELS } from '../proposals/matchRungs';

const COLUMNS: { title: string; value(f: JournalFigures): string }[] = [
  { title: 'delegated', value: (f) => String(f.nodesDelegated) },
  { title: 'kept', value: (f) => String(f.nodesKept) },
  { title: 'done', value: (f) => String(f.nodesDone) },
  { title: 'hunks +/-', value: (f) => `${f.hunksAccepted}/${f.hunksRejected}` },
  { title: 'accepted', value: (f) => acceptedShare(f) },
  { title: 'loose matches', value: (f) => `${looseBlocks(f)}/${allBlocks(f)}` },
  { title: 'breaker fails', value: (f) => `${f.breakerFails}/${f.breakerReviews}` },
  { title: 'findings C/M/m', value: (f) => `${f.findings.critical}/${f.findings.major}/${f.findings.minor}` },
  { title: 'tests failed', value: (f) => `${f.testFailures}/${f.testRuns}` },
  { title: 'calls', value: (f) => String(f.calls) },
  { title: 'tokens in/out', value: (f) => `${f.inputTokens}/${f.outputTokens}` },
  { title: 'cost', value: (f) => `$${f.cost.toFixed(4)}` },
];

const LEGEND =
  'hunks +/-: accepted/rejected in review; accepted: share of hunks accepted; ' +
  'loose matches: search blocks placed only by ignoring whitespace, indentation, blank lines or an elision / all; breaker fails: failed/all reviews; ' +
  'findings: critical/major/minor; tests failed: failed/all runs after a change (failures caught).';

export function formatJournalTable(summary: JournalSummary, unreadableLines = 0): string {
  if (summary.events === 0)
    return `No journal events${summary.since !== undefined ? ` since ${isoDay(summary.since)}` : ''} (.baton/journal.jsonl): run a subtask first.`;
  const lines: string[] = [`Journal: ${summary.events} events${summary.since !== undefined ? ` since ${isoDay(summary.since)}` : ''}`, ''];
  const rows: { label: string; f: JournalFigures }[] = [
    ...summary.tasks.map((t) => ({ label: `${clip(t.title, 40)} (${t.taskId})`, f: t.figures })),
    { label: 'TOTAL', f: summary.total },
  ];
  lines.push(
    'Per task',
    ...textTable('task', rows),
    '',
    'Per day (UTC)',
    ...textTable(
      'day',
      summary.days.map((d) => ({ label: d.day, f: d.figures })),
    ),
    '',
    LEGEND,
  );
  const matched = matchedLine(summary.total);
  if (matched) lines.push(matched);
  if (unreadableLines) lines.push(`${unreadableLines} line(s) of .baton/journal.jsonl could not be read and were left out.`);
  return lines.join('\n');
}

export function formatJournalMarkdown(summary: JournalSummary, unreadable: readonly { line: number; problem: string }[] = []): string {
  const out = ['# Baton journal', ''];
  if (summary.events === 0) {
    out.push('No journal events yet (`.baton/journal.jsonl`). Run a subtask (**Baton: Run Next Subtask**) and it is recorded here.');
  } else {
    out.push(`${summary.events} events: what was delegated and what was kept, what review, the breaker and the tests caught, and what it cost.`, '');
    out.push(
      '## Per task',
      '',
      ...markdownTable('task', [
        ...summary.tasks.map((t) => ({ label: `${markdownText(clip(t.title, 80))} (${codeOrText(t.taskId)})`, f: t.figures })),
        { label: '**total**', f: summary.total },
      ]),
      '',
    );
    out.push(
      '## Per day (UTC)',
      '',
      ...markdownTable(
        'day',
        summary.days.map((d) => ({ label: d.day, f: d.figures })),
      ),
      '',
      `_${LEGEND}_`,
    );
    const matched = matchedLine(summary.total);
    if (matched) out.push('', matched);
  }
  if (unreadable.length)
    out.push(
      '',
      `${unreadable.length} line(s) could not be read: ${unreadable
        .slice(0, 5)
        .map((u) => `line ${u.line} (${markdownText(u.problem)})`)
        .join('; ')}`,
    );
  return `${out.join('\n')}\n`;
}

function textTable(first: string, rows: { label: string; f: JournalFigures }[]): string[] {
  const cells = [[first, ...COLUMNS.map((c) => c.title)], ...rows.map((r) => [r.label, ...COLUMNS.map((c) => c.value(r.f))])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const render = (row: string[]): string =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [render(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(render)];
}

function markdownTable(first: string, rows: { label: string; f: JournalFigures }[]): string[] {
  return [
    `| ${[first, ...COLUMNS.map((c) => c.title)].join(' | ')} |`,
    `|${['---', ...COLUMNS.map(() => '---:')].join('|')}|`,
    ...rows.map((r) => `| ${[r.label, ...COLUMNS.map((c) => c.value(r.f))].join(' | ')} |`),
  ];
}

function acceptedShare(f: JournalFigures): string {
  const decided = f.hunksAccepted + f.hunksRejected;
  return decided ? `${Math.round((100 * f.hunksAccepted) / decided)}%` : '-';
}

function allBlocks(f: JournalFigures): number {
  return MATCH_RUNGS.reduce((sum, rung) => sum + f.searchBlocks[rung], 0);
}

function looseBlocks(f: JournalFigures): number {
  return allBlocks(f) - f.searchBlocks.exact;
}

/** "Search blocks: 12 matched exactly, 2 matched ignoring indentation." (only the rungs used), or '' for none. */
function matchedLine(f: JournalFigures): string {
  const used = MATCH_RUNGS.filter((rung) => f.searchBlocks[rung] > 0).map((rung) => `${f.searchBlocks[rung]} ${RUNG_LABELS[rung]}`);
  return used.length ? `Search blocks: ${used.join(', ')}.` : '';
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function clip(text: string, n: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
}

/** An id as code when it is a plain one (Baton's own are), else as escaped text: a backtick in it could end the code span. */
function codeOrText(id: string): string {
  return /^[\w.-]{1,80}$/.test(id) ? `\`${id}\`` : markdownText(clip(id, 80));
}
