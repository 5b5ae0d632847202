import type { Exec } from '../ports';

// The project's test command (found by testCommandDetection.ts when the setting is empty): run through the
// Exec port after accepted changes are applied, and turned into a one-line summary for the person
// and a failure report for the maker's next round.
//
// Approval contract (the host and the CLI enforce it; this file holds only the pure decision):
//   - the command never runs in an untrusted workspace;
//   - before its first run the person sees the exact command and confirms it; the host keeps the
//     confirmed commands (per workspace) and passes them to `testRunDecision`;
//   - a changed command (edited setting, different detection) is a new command and asks again.

// ---------------------------------------------------------------------------------------------
// Approval: the pure part of "confirmed by the person before its first run, only when trusted".

export type TestRunDecision =
  | { action: 'run' }
  | { action: 'confirm'; command: string } // show the exact command, remember it when confirmed
  | { action: 'refuse'; reason: string };

/** True when this exact command (surrounding blanks aside) has not been confirmed before. */
export function needsConfirmation(command: string, approvedCommands: readonly string[]): boolean {
  const wanted = command.trim();
  // Inner whitespace is kept as is: inside quotes it changes what the command does.
  return !approvedCommands.some((approved) => approved.trim() === wanted);
}

export function testRunDecision(input: { command: string; workspaceTrusted: boolean; approvedCommands: readonly string[] }): TestRunDecision {
  if (!input.workspaceTrusted) {
    return { action: 'refuse', reason: 'The workspace is not trusted, so Baton does not run its test command. Trust the workspace to run tests.' };
  }
  const command = input.command.trim();
  if (!command) return { action: 'refuse', reason: "No test command: set one in Baton's settings." };
  return needsConfirmation(command, input.approvedCommands) ? { action: 'confirm', command } : { action: 'run' };
}

// ---------------------------------------------------------------------------------------------
// Running.

export interface TestRunOptions {
  cwd: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  onOutput?(text: string): void;
}

export interface TestRunResult {
  command: string;
  passed: boolean;
  exitCode: number | null;
  /** The tail of the output (at most TEST_OUTPUT_CAP_CHARS plus a note), colour codes removed. */
  output: string;
  outcome: 'exited' | 'cancelled' | 'timed-out' | 'failed-to-start';
  durationMs: number;
  /** One line for the person: "`npm test` failed (exit code 1) after 4.2 s". */
  summary: string;
}

/** Test suites can be slow; this only stops one that hangs. Callers may pass their own. */
export const DEFAULT_TEST_TIMEOUT_MS = 10 * 60_000;
export const TEST_OUTPUT_CAP_CHARS = 32 * 1024;

export async function runTestCommand(exec: Exec, command: string, options: TestRunOptions): Promise<TestRunResult> {
  const result = await exec.run(command, {
    cwd: options.cwd,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    onOutput: options.onOutput,
  });
  const passed = result.outcome === 'exited' && result.exitCode === 0;
  const output = keepTail(stripTerminalCodes(result.output), TEST_OUTPUT_CAP_CHARS);
  return {
    command,
    passed,
    exitCode: result.exitCode,
    output,
    outcome: result.outcome,
    durationMs: result.durationMs,
    summary: summarise(command, result.outcome, result.exitCode, result.durationMs, output),
  };
}

function summarise(command: string, outcome: TestRunResult['outcome'], exitCode: number | null, durationMs: number, output: string): string {
  const what = `\`${command}\``;
  const took = formatDuration(durationMs);
  switch (outcome) {
    case 'exited':
      if (exitCode === 0) return `${what} passed in ${took}`;
      // The shell's way of saying the program is not installed or not on PATH.
      if (exitCode === 127) return `${what} failed (exit code 127: command not found) after ${took}`;
      return `${what} failed (exit code ${exitCode ?? 'none'}) after ${took}`;
    case 'cancelled':
      return `${what} was cancelled after ${took}`;
    case 'timed-out':
      return `${what} timed out after ${took}`;
    case 'failed-to-start':
      return `${what} could not start: ${lastLine(output) || 'no reason given'}`;
  }
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

// ---------------------------------------------------------------------------------------------
// The maker's next round.

export const MAKER_FAILURE_LINES = 150;
// 150 lines of a minified bundle's stack trace can be megabytes; the maker's budget is not.
const MAKER_FAILURE_CHARS = 16 * 1024;

/** The failure as the maker sees it: the command, how it ended and the end of its output. */
export function formatTestFailureForMaker(result: TestRunResult): string {
  const ending =
    result.outcome === 'timed-out'
      ? `It timed out after ${formatDuration(result.durationMs)} and was stopped.`
      : result.outcome === 'failed-to-start'
        ? 'It could not start.'
        : result.outcome === 'cancelled'
          ? 'It was cancelled before it finished.'
          : `Exit code: ${result.exitCode ?? 'none'}.`;
  const lines = result.output.replace(/\n$/, '').split('\n');
  const shown = keepTail(lines.slice(-MAKER_FAILURE_LINES).join('\n'), MAKER_FAILURE_CHARS);
  const omitted = lines.length > MAKER_FAILURE_LINES ? ` (last ${MAKER_FAILURE_LINES} of ${lines.length} lines)` : '';
  const fence = fenceFor(shown);
  return [
    "The project's tests failed after your changes were applied.",
    `Command: ${result.command}`,
    ending,
    '',
    `Output${omitted}:`,
    fence,
    shown,
    fence,
    '',
    'Change the code so that this command passes. Change a test only if the test itself is wrong, and say why.',
  ].join('\n');
}

/** A backtick fence longer than any run of backticks in the text, so the output cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

// ---------------------------------------------------------------------------------------------
// Text helpers.

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links): test runners emit them
// even into pipes when FORCE_COLOR is set, and they are noise to a person reading a node and to a model.
// eslint-disable-next-line no-control-regex
const TERMINAL_CODES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

function stripTerminalCodes(text: string): string {
  return text.replace(TERMINAL_CODES, '');
}

function keepTail(text: string, capChars: number): string {
  if (text.length <= capChars) return text;
  let tail = text.slice(text.length - capChars);
  if (/^[\udc00-\udfff]/.test(tail)) tail = tail.slice(1); // half of a split surrogate pair
  // Start at a line boundary when one is near, so the first kept line is whole.
  const firstBreak = tail.indexOf('\n');
  if (firstBreak >= 0 && firstBreak < 200) tail = tail.slice(firstBreak + 1);
  return `[… ${text.length - tail.length} earlier characters not kept]\n${tail}`;
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
