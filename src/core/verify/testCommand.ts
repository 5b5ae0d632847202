import type { Exec } from '../ports';

// The project's test command: found in the workspace when the setting is empty, run through the
// Exec port after accepted changes are applied, and turned into a one-line summary for the person
// and a failure report for the maker's next round.
//
// Approval contract (the host and the CLI enforce it; this file holds only the pure decision):
//   - the command never runs in an untrusted workspace;
//   - before its first run the person sees the exact command and confirms it; the host keeps the
//     confirmed commands (per workspace) and passes them to `testRunDecision`;
//   - a changed command (edited setting, different detection) is a new command and asks again.

/** What detection reads: workspace-relative paths with '/' separators. */
export interface TestCommandFiles {
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string | undefined>; // undefined: no such file
  /** Names in a folder (files and folders). Optional: without it, a bare tests/ folder is not looked into. */
  list?(folder: string): Promise<string[] | undefined>;
}

export interface DetectedTestCommand {
  command: string;
  /** What was found, for the confirmation prompt: "package.json has a test script". */
  reason: string;
}

// Explicit declarations of "how to test this project" (a package.json script, a make target)
// come before what is inferred from a toolchain's files.
const detectors: ReadonlyArray<(files: TestCommandFiles) => Promise<DetectedTestCommand | undefined>> = [
  detectPackageJsonScript,
  detectMakeTarget,
  detectPytest,
  detectGo,
  detectCargo,
];

export async function detectTestCommand(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  for (const detect of detectors) {
    const found = await detect(files);
    if (found) return found;
  }
  return undefined;
}

/** The setting when it says something, else what the workspace suggests. */
export async function chooseTestCommand(
  configured: string | undefined,
  files: TestCommandFiles,
): Promise<DetectedTestCommand | undefined> {
  const command = configured?.trim();
  if (command) return { command, reason: 'set in Baton\'s settings' };
  return detectTestCommand(files);
}

// `npm init` writes this placeholder; running it only ever fails.
const NPM_PLACEHOLDER = /no test specified/i;

async function detectPackageJsonScript(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  const text = await files.readText('package.json');
  if (text === undefined) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return undefined; // a broken package.json says nothing about tests
  }
  const scripts = isRecord(manifest) ? manifest.scripts : undefined;
  const script = isRecord(scripts) ? scripts.test : undefined;
  if (typeof script !== 'string' || !script.trim() || NPM_PLACEHOLDER.test(script)) return undefined;

  const runner = await packageRunner(files, isRecord(manifest) ? manifest.packageManager : undefined);
  return { command: `${runner.name} test`, reason: `package.json has a test script${runner.why}` };
}

async function packageRunner(files: TestCommandFiles, packageManager: unknown): Promise<{ name: string; why: string }> {
  if (await files.exists('pnpm-lock.yaml')) return { name: 'pnpm', why: ' (pnpm-lock.yaml: pnpm)' };
  if (await files.exists('yarn.lock')) return { name: 'yarn', why: ' (yarn.lock: yarn)' };
  if (await files.exists('package-lock.json')) return { name: 'npm', why: '' };
  // No lock file: corepack's "packageManager": "pnpm@9.1.0" is the next best word.
  const declared = typeof packageManager === 'string' ? /^(pnpm|yarn)@/.exec(packageManager)?.[1] : undefined;
  if (declared) return { name: declared, why: ` (packageManager: ${declared})` };
  return { name: 'npm', why: '' };
}

const MAKEFILE_NAMES = ['GNUmakefile', 'makefile', 'Makefile'];
// A rule line naming `test` among its targets: "test:", "test: build", "check test::".
// Not an assignment ("test := x", "test ::= x", "test ?= x" never match since they lack the colon
// right after the targets, or have '=' after it).
const MAKE_TEST_RULE = /^(?:[^\s:#=]+[ \t]+)*test(?:[ \t]+[^\s:#=]+)*[ \t]*::?(?![:=])/m;

async function detectMakeTarget(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  for (const name of MAKEFILE_NAMES) {
    const text = await files.readText(name);
    if (text !== undefined && MAKE_TEST_RULE.test(text)) {
      return { command: 'make test', reason: `${name} has a test target` };
    }
  }
  return undefined;
}

const PYTEST_COMMAND = 'python -m pytest -q';
const PYTEST_CONFIG_SECTIONS: ReadonlyArray<{ file: string; section: RegExp; reason: string }> = [
  { file: 'pyproject.toml', section: /^\s*\[tool\.pytest\.ini_options\]/m, reason: 'pyproject.toml configures pytest' },
  { file: 'setup.cfg', section: /^\s*\[tool:pytest\]/m, reason: 'setup.cfg configures pytest' },
  { file: 'tox.ini', section: /^\s*\[pytest\]/m, reason: 'tox.ini configures pytest' },
];
const PYTEST_FILE_NAME = /^(test_.*|.*_test)\.py$/;

async function detectPytest(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  const found = (reason: string): DetectedTestCommand => ({ command: PYTEST_COMMAND, reason });
  // pytest treats pytest.ini as its configuration even when it is empty.
  if (await files.exists('pytest.ini')) return found('pytest.ini is present');
  for (const { file, section, reason } of PYTEST_CONFIG_SECTIONS) {
    const text = await files.readText(file);
    if (text !== undefined && section.test(text)) return found(reason);
  }
  if (await files.exists('conftest.py')) return found('conftest.py is present');
  for (const folder of ['tests', 'test']) {
    const names = await files.list?.(folder);
    const example = names?.find((name) => PYTEST_FILE_NAME.test(name));
    if (example) return found(`${folder}/ holds pytest files (${folder}/${example})`);
  }
  return undefined;
}

async function detectGo(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  return (await files.exists('go.mod')) ? { command: 'go test ./...', reason: 'go.mod is present' } : undefined;
}

async function detectCargo(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  return (await files.exists('Cargo.toml')) ? { command: 'cargo test', reason: 'Cargo.toml is present' } : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

export function testRunDecision(input: {
  command: string;
  workspaceTrusted: boolean;
  approvedCommands: readonly string[];
}): TestRunDecision {
  if (!input.workspaceTrusted) {
    return { action: 'refuse', reason: 'The workspace is not trusted, so Baton does not run its test command. Trust the workspace to run tests.' };
  }
  const command = input.command.trim();
  if (!command) return { action: 'refuse', reason: 'No test command: set one in Baton\'s settings.' };
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

function summarise(
  command: string,
  outcome: TestRunResult['outcome'],
  exitCode: number | null,
  durationMs: number,
  output: string,
): string {
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
    'The project\'s tests failed after your changes were applied.',
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
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
