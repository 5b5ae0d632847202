import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NodeExec } from '../../src/node/nodeExec';
import type { Exec, ExecOptions, ExecResult } from '../../src/core/ports';
import {
  chooseTestCommand,
  detectTestCommand,
  formatTestFailureForMaker,
  MAKER_FAILURE_LINES,
  needsConfirmation,
  runTestCommand,
  TEST_OUTPUT_CAP_CHARS,
  testRunDecision,
  type TestCommandFiles,
} from '../../src/core/verify/testCommand';

// The test command: found per ecosystem in real folders, approved only once and only when trusted,
// run through the Exec port, and reported to the person (one line) and to the maker (the tail).

const NPM_DEFAULT_TEST = 'echo "Error: no test specified" && exit 1';

describe('test command: detection', () => {
  let root: string;

  beforeEach(async () => {
    root = await fsp.mkdtemp(join(tmpdir(), 'baton-testcmd-'));
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  async function workspace(files: Record<string, string>): Promise<TestCommandFiles> {
    for (const [path, text] of Object.entries(files)) {
      await fsp.mkdir(dirname(join(root, path)), { recursive: true });
      await fsp.writeFile(join(root, path), text);
    }
    return folderFiles(root);
  }

  const detect = async (files: Record<string, string>) => detectTestCommand(await workspace(files));

  it('finds nothing in an empty folder', async () => {
    assert.equal(await detect({}), undefined);
  });

  it('package.json with a test script -> npm test, pnpm test or yarn test by lock file', async () => {
    const manifest = JSON.stringify({ scripts: { test: 'mocha' } });
    assert.deepEqual(await detect({ 'package.json': manifest, 'package-lock.json': '{}' }), {
      command: 'npm test',
      reason: 'package.json has a test script',
    });
    await fsp.rm(join(root, 'package-lock.json'));
    await fsp.writeFile(join(root, 'pnpm-lock.yaml'), '');
    assert.deepEqual(await detectTestCommand(folderFiles(root)), {
      command: 'pnpm test',
      reason: 'package.json has a test script (pnpm-lock.yaml: pnpm)',
    });
    await fsp.rm(join(root, 'pnpm-lock.yaml'));
    await fsp.writeFile(join(root, 'yarn.lock'), '');
    assert.equal((await detectTestCommand(folderFiles(root)))?.command, 'yarn test');
  });

  it('without a lock file, package.json\'s packageManager decides, else npm', async () => {
    const files = await workspace({ 'package.json': JSON.stringify({ packageManager: 'pnpm@9.1.0', scripts: { test: 'vitest run' } }) });
    assert.equal((await detectTestCommand(files))?.command, 'pnpm test');
    await fsp.writeFile(join(root, 'package.json'), JSON.stringify({ scripts: { test: 'vitest run' } }));
    assert.equal((await detectTestCommand(files))?.command, 'npm test');
  });

  it('npm\'s default "no test specified" script is not a test command, nor is an empty one or a broken package.json', async () => {
    assert.equal(await detect({ 'package.json': JSON.stringify({ scripts: { test: NPM_DEFAULT_TEST } }) }), undefined);
    await fsp.writeFile(join(root, 'package.json'), JSON.stringify({ scripts: { test: '  ' } }));
    assert.equal(await detectTestCommand(folderFiles(root)), undefined);
    await fsp.writeFile(join(root, 'package.json'), '{ "scripts": ');
    assert.equal(await detectTestCommand(folderFiles(root)), undefined);
    await fsp.writeFile(join(root, 'package.json'), JSON.stringify({ scripts: { build: 'tsc' } }));
    assert.equal(await detectTestCommand(folderFiles(root)), undefined);
  });

  it('npm\'s default script falls through to the next ecosystem', async () => {
    const found = await detect({
      'package.json': JSON.stringify({ scripts: { test: NPM_DEFAULT_TEST } }),
      'pytest.ini': '',
    });
    assert.deepEqual(found, { command: 'python -m pytest -q', reason: 'pytest.ini is present' });
  });

  it('pytest: each configuration file, conftest.py, and test files in tests/ or test/', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'pytest.ini': '[pytest]\n' }, 'pytest.ini is present'],
      [{ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n' }, 'pyproject.toml configures pytest'],
      [{ 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\ntestpaths = tests\n' }, 'setup.cfg configures pytest'],
      [{ 'tox.ini': '[tox]\nenvlist = py312\n[pytest]\naddopts = -q\n' }, 'tox.ini configures pytest'],
      [{ 'conftest.py': 'import pytest\n' }, 'conftest.py is present'],
      [{ 'tests/test_parser.py': 'def test_x(): pass\n' }, 'tests/ holds pytest files (tests/test_parser.py)'],
      [{ 'test/parser_test.py': 'def test_x(): pass\n' }, 'test/ holds pytest files (test/parser_test.py)'],
    ];
    for (const [files, reason] of cases) {
      await fsp.rm(root, { recursive: true, force: true });
      await fsp.mkdir(root);
      assert.deepEqual(await detect(files), { command: 'python -m pytest -q', reason }, JSON.stringify(files));
    }
  });

  it('pytest: a pyproject.toml, setup.cfg or tox.ini without a pytest section is not pytest, nor is a tests/ folder of other files', async () => {
    assert.equal(
      await detect({
        'pyproject.toml': '[project]\nname = "x"\ndependencies = ["pytest"]\n',
        'setup.cfg': '[metadata]\nname = x\n',
        'tox.ini': '[tox]\nenvlist = py312\n',
        'tests/helpers.py': '',
        'test/app.test.js': '',
      }),
      undefined,
    );
  });

  it('pytest: without a way to list folders, a bare tests/ folder is not looked into', async () => {
    const files = await workspace({ 'tests/test_parser.py': '' });
    const { list: _list, ...withoutList } = files;
    assert.equal(await detectTestCommand(withoutList), undefined);
  });

  it('go.mod -> go test ./..., Cargo.toml -> cargo test', async () => {
    assert.deepEqual(await detect({ 'go.mod': 'module example.com/x\n' }), { command: 'go test ./...', reason: 'go.mod is present' });
    await fsp.rm(join(root, 'go.mod'));
    await fsp.writeFile(join(root, 'Cargo.toml'), '[package]\nname = "x"\n');
    assert.deepEqual(await detectTestCommand(folderFiles(root)), { command: 'cargo test', reason: 'Cargo.toml is present' });
  });

  it('a Makefile with a test target -> make test, and it wins over an inferred toolchain', async () => {
    assert.deepEqual(await detect({ Makefile: 'build:\n\tgo build ./...\n\ntest: build\n\tgo test -race ./...\n', 'go.mod': 'module x\n' }), {
      command: 'make test',
      reason: 'Makefile has a test target',
    });
  });

  it('Makefile rules that are not a test target do not count', async () => {
    const notTargets = [
      '.PHONY: test\nbuild:\n\techo\n', // declared phony but never defined
      'test := unit\n', // a variable
      'test ::= unit\n',
      'testing:\n\techo\n',
      'pytest:\n\techo\n',
      'build:\n\ttest -f x || exit 1\n', // `test` the shell builtin in a recipe
      'test.o: test.c\n\tcc -c test.c\n',
    ];
    for (const text of notTargets) {
      await fsp.writeFile(join(root, 'Makefile'), text);
      assert.equal(await detectTestCommand(folderFiles(root)), undefined, JSON.stringify(text));
    }
    for (const text of ['check test: lint\n\techo\n', 'test::\n\techo\n', 'all test:\n']) {
      await fsp.writeFile(join(root, 'Makefile'), text);
      assert.equal((await detectTestCommand(folderFiles(root)))?.command, 'make test', JSON.stringify(text));
    }
  });

  it('a package.json test script wins over everything else', async () => {
    const found = await detect({
      'package.json': JSON.stringify({ scripts: { test: 'jest' } }),
      Makefile: 'test:\n\tnpm test\n',
      'pytest.ini': '',
      'go.mod': '',
      'Cargo.toml': '',
    });
    assert.equal(found?.command, 'npm test');
  });

  it('the setting, when not blank, comes before detection', async () => {
    const files = await workspace({ 'go.mod': '' });
    assert.deepEqual(await chooseTestCommand('  go test -short ./pkg/...  ', files), {
      command: 'go test -short ./pkg/...',
      reason: 'set in Baton\'s settings',
    });
    assert.equal((await chooseTestCommand('   ', files))?.command, 'go test ./...');
    assert.equal((await chooseTestCommand(undefined, files))?.command, 'go test ./...');
  });
});

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

/** WorkspaceFiles-like access to a real folder, as the host would give detection. */
function folderFiles(root: string): Required<TestCommandFiles> {
  return {
    async exists(path) {
      return fsp.stat(join(root, path)).then(
        () => true,
        () => false,
      );
    },
    async readText(path) {
      return fsp.readFile(join(root, path), 'utf8').catch(() => undefined);
    },
    async list(folder) {
      return fsp.readdir(join(root, folder)).catch(() => undefined);
    },
  };
}

class ScriptedExec implements Exec {
  readonly calls: Array<{ command: string; options: ExecOptions }> = [];

  constructor(private readonly result: ExecResult) {}

  async run(command: string, options: ExecOptions): Promise<ExecResult> {
    this.calls.push({ command, options });
    return this.result;
  }
}
