import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeExec } from '../../src/node/nodeExec';
import type { Exec, ExecOptions, ExecResult } from '../../src/core/ports';
import {
  formatTestFailureForMaker,
  MAKER_FAILURE_LINES,
  needsConfirmation,
  runTestCommand,
  TEST_OUTPUT_CAP_CHARS,
  testRunDecision,
} from '../../src/core/verify/testCommand';

// The test command: approved only once and only when trusted, run through the Exec port, and reported to the person (one line) and to the maker (the tail).

describe('test command: approval', () => {
  it('asks before the first run of a command, and not again once it is approved', () => {
    assert.equal(needsConfirmation('npm test', []), true);
    assert.equal(needsConfirmation('npm test', ['npm test']), false);
    assert.equal(needsConfirmation('  npm test ', ['npm test']), false);
  });

  it('a changed command asks again, even if only its inner spacing differs', () => {
    assert.equal(needsConfirmation('npm test -- --grep x', ['npm test']), true);
    assert.equal(needsConfirmation('echo "a  b"', ['echo "a b"']), true);
  });

  it('refuses in an untrusted workspace whatever was approved, and refuses an empty command', () => {
    assert.equal(testRunDecision({ command: 'npm test', workspaceTrusted: false, approvedCommands: ['npm test'] }).action, 'refuse');
    assert.equal(testRunDecision({ command: ' ', workspaceTrusted: true, approvedCommands: [] }).action, 'refuse');
    assert.deepEqual(testRunDecision({ command: 'npm test ', workspaceTrusted: true, approvedCommands: [] }), {
      action: 'confirm',
      command: 'npm test',
    });
    assert.deepEqual(testRunDecision({ command: 'npm test', workspaceTrusted: true, approvedCommands: ['npm test'] }), { action: 'run' });
  });
});

describe('test command: running and reporting', () => {
  it('passes on exit code 0 and passes options through to the Exec port', async () => {
    const exec = new ScriptedExec({ exitCode: 0, output: 'ok\n', outcome: 'exited', durationMs: 4200 });
    const controller = new AbortController();
    const result = await runTestCommand(exec, 'npm test', { cwd: '/w', signal: controller.signal, timeoutMs: 5000 });
    assert.equal(result.passed, true);
    assert.equal(result.summary, '`npm test` passed in 4.2 s');
    assert.equal(exec.calls[0]?.command, 'npm test');
    assert.equal(exec.calls[0]?.options.cwd, '/w');
    assert.equal(exec.calls[0]?.options.timeoutMs, 5000);
    assert.equal(exec.calls[0]?.options.signal, controller.signal);
  });

  it('one-line summaries for failure, command not found, timeout, cancel and failure to start', async () => {
    const summary = async (result: ExecResult) => (await runTestCommand(new ScriptedExec(result), 'npm test', { cwd: '/w' })).summary;
    assert.equal(await summary({ exitCode: 1, output: '', outcome: 'exited', durationMs: 800 }), '`npm test` failed (exit code 1) after 800 ms');
    assert.equal(
      await summary({ exitCode: 127, output: 'sh: 1: npm: not found\n', outcome: 'exited', durationMs: 5 }),
      '`npm test` failed (exit code 127: command not found) after 5 ms',
    );
    assert.equal(await summary({ exitCode: null, output: '', outcome: 'timed-out', durationMs: 600_000 }), '`npm test` timed out after 10 min 0 s');
    assert.equal(await summary({ exitCode: null, output: '', outcome: 'cancelled', durationMs: 1500 }), '`npm test` was cancelled after 1.5 s');
    assert.equal(
      await summary({ exitCode: null, output: 'Cannot run the command in /w: ENOENT\n', outcome: 'failed-to-start', durationMs: 1 }),
      '`npm test` could not start: Cannot run the command in /w: ENOENT',
    );
  });

  it('only exit code 0 of a command that exited is a pass', async () => {
    for (const outcome of ['cancelled', 'timed-out', 'failed-to-start'] as const) {
      const result = await runTestCommand(new ScriptedExec({ exitCode: 0, output: '', outcome, durationMs: 1 }), 'x', { cwd: '/w' });
      assert.equal(result.passed, false, outcome);
    }
  });

  it('keeps the tail of the output, capped, without colour codes', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `\u001b[31mline ${i}\u001b[39m`).join('\n') + '\n';
    const result = await runTestCommand(new ScriptedExec({ exitCode: 1, output: lines, outcome: 'exited', durationMs: 1 }), 'x', { cwd: '/w' });
    assert.ok(result.output.length <= TEST_OUTPUT_CAP_CHARS + 100, `${result.output.length} characters`);
    assert.match(result.output, /^\[… \d+ earlier characters not kept\]\nline \d+\n/);
    assert.ok(result.output.endsWith('line 4999\n'));
    assert.ok(!result.output.includes('\u001b'), 'colour codes left in');
  });

  it('gives the maker the command, the exit code and the last 150 lines', async () => {
    const output = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const result = await runTestCommand(new ScriptedExec({ exitCode: 2, output, outcome: 'exited', durationMs: 1 }), 'python -m pytest -q', { cwd: '/w' });
    const text = formatTestFailureForMaker(result);
    assert.match(text, /^Command: python -m pytest -q$/m);
    assert.match(text, /^Exit code: 2\.$/m);
    assert.match(text, new RegExp(`last ${MAKER_FAILURE_LINES} of 400 lines`));
    assert.match(text, /^line 250$/m);
    assert.match(text, /^line 399$/m);
    assert.doesNotMatch(text, /^line 249$/m);
  });

  it('says when the tests timed out, and output with backticks cannot close the fence', async () => {
    const result = await runTestCommand(
      new ScriptedExec({ exitCode: null, output: 'expected ``` to equal ````\n', outcome: 'timed-out', durationMs: 60_000 }),
      'npm test',
      { cwd: '/w' },
    );
    const text = formatTestFailureForMaker(result);
    assert.match(text, /timed out after 1 min 0 s/);
    assert.match(text, /^`{5}$/m);
  });
});

(process.platform === 'win32' ? describe.skip : describe)('test command: through NodeExec', () => {
  it('a real failing command becomes a maker round with its output', async () => {
    const cwd = await fsp.mkdtemp(join(tmpdir(), 'baton-testrun-'));
    try {
      const command = 'echo "collected 3 items"; echo "FAILED test_parse.py::test_empty" >&2; exit 1';
      const result = await runTestCommand(new NodeExec(), command, { cwd });
      assert.equal(result.passed, false);
      assert.equal(result.exitCode, 1);
      assert.equal(result.output, 'collected 3 items\nFAILED test_parse.py::test_empty\n');
      assert.match(result.summary, /failed \(exit code 1\) after \d+ ms$/);
      assert.match(formatTestFailureForMaker(result), /Exit code: 1\.\n\nOutput:\n```\ncollected 3 items\nFAILED test_parse.py::test_empty\n```/);
    } finally {
      await fsp.rm(cwd, { recursive: true, force: true });
    }
  });
});

class ScriptedExec implements Exec {
  readonly calls: Array<{ command: string; options: ExecOptions }> = [];

  constructor(private readonly result: ExecResult) {}

  async run(command: string, options: ExecOptions): Promise<ExecResult> {
    this.calls.push({ command, options });
    return this.result;
  }
}
