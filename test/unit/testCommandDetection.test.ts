import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestCommandFiles } from '../../src/core/verify/detectedTestCommand';
import { chooseTestCommand, detectTestCommand } from '../../src/core/verify/testCommandDetection';

// The test command as each ecosystem declares it, found in real folders, with the reason the person sees.

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

  it("without a lock file, package.json's packageManager decides, else npm", async () => {
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

  it("npm's default script falls through to the next ecosystem", async () => {
    const found = await detect({
      'package.json': JSON.stringify({ scripts: { test: NPM_DEFAULT_TEST } }),
      'pytest.ini': '',
    });
    assert.deepEqual(found, { command: 'python -m pytest -q', reason: 'pytest.ini found' });
  });

  it('pytest: each configuration file, a conftest.py, or pytest among the requirements', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'pytest.ini': '' }, 'pytest.ini found'],
      [{ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n' }, 'pyproject.toml has [tool.pytest.ini_options]'],
      [{ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest]\nminversion = "9.0"\n' }, 'pyproject.toml has [tool.pytest.ini_options]'],
      [{ 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\ntestpaths = tests\n' }, 'setup.cfg has [tool:pytest]'],
      [{ 'tox.ini': '[tox]\nenvlist = py312\n[pytest]\naddopts = -q\n' }, 'tox.ini has [pytest]'],
      [{ 'conftest.py': 'import pytest\n' }, 'conftest.py found'],
      [{ 'tests/conftest.py': 'import pytest\n', 'tests/test_x.py': '' }, 'tests/conftest.py found'],
      [{ 'requirements-dev.txt': 'ruff==0.6\npytest>=8.0\n' }, 'requirements-dev.txt lists pytest'],
      [{ 'requirements/test.txt': '-r base.txt\npytest-cov==5.0  # brings pytest\n' }, 'requirements/test.txt lists pytest'],
      [{ 'pyproject.toml': '[project]\nname = "x"\n[dependency-groups]\ndev = ["pytest>=8", "ruff"]\n' }, 'pyproject.toml lists pytest'],
      [{ 'pyproject.toml': '[tool.poetry.group.dev.dependencies]\npytest = "^8.0"\n' }, 'pyproject.toml lists pytest'],
      [{ Pipfile: '[dev-packages]\npytest = "*"\n' }, 'Pipfile lists pytest'],
    ];
    for (const [files, reason] of cases) {
      await fsp.rm(root, { recursive: true, force: true });
      await fsp.mkdir(root);
      assert.deepEqual(await detect(files), { command: 'python -m pytest -q', reason }, JSON.stringify(files));
    }
  });

  it('unittest when nothing configures pytest: where its discovery finds the test files', async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [
        { 'tests/test_parser.py': 'import unittest\n', 'pyproject.toml': '[project]\nname = "x"\n' },
        'python -m unittest discover -s tests',
        'tests/test_parser.py found, and nothing configures pytest',
      ],
      [{ 'test/test_parser.py': '', 'test/__init__.py': '' }, 'python -m unittest', 'test/test_parser.py found, and nothing configures pytest'],
      [{ 'test_app.py': '', 'app.py': '' }, 'python -m unittest', 'test_app.py found, and nothing configures pytest'],
      [
        { 'tests/test_parser.py': '', 'requirements.txt': 'requests==2.32\npytestify==1.0\n' },
        'python -m unittest discover -s tests',
        'tests/test_parser.py found, and nothing configures pytest',
      ],
    ];
    for (const [files, command, reason] of cases) {
      await fsp.rm(root, { recursive: true, force: true });
      await fsp.mkdir(root);
      assert.deepEqual(await detect(files), { command, reason }, JSON.stringify(files));
    }
  });

  it('the sample workspace runs its tests with unittest', async () => {
    const sample = join(__dirname, '..', '..', 'sample-workspace');
    assert.deepEqual(await detectTestCommand(folderFiles(sample)), {
      command: 'python -m unittest discover -s tests',
      reason: 'tests/test_scaling.py found, and nothing configures pytest',
    });
  });

  it('a Python project without test files, or a pyproject.toml that only names pytest in prose, has no test command', async () => {
    assert.equal(
      await detect({
        'pyproject.toml': '[project]\nname = "x"\ndescription = "not for pytest users"\n',
        'setup.cfg': '[metadata]\nname = x\n',
        'tox.ini': '[tox]\nenvlist = py312\n',
        'tests/helpers.py': '',
        'test/app.test.js': '',
      }),
      undefined,
    );
  });

  it('without a way to list folders, a bare tests/ folder is not looked into', async () => {
    const files = await workspace({ 'tests/test_parser.py': '' });
    const { list: _list, ...withoutList } = files;
    assert.equal(await detectTestCommand(withoutList), undefined);
  });

  it('go.mod -> go test ./..., Cargo.toml -> cargo test', async () => {
    assert.deepEqual(await detect({ 'go.mod': 'module example.com/x\n' }), { command: 'go test ./...', reason: 'go.mod found' });
    await fsp.rm(join(root, 'go.mod'));
    await fsp.writeFile(join(root, 'Cargo.toml'), '[package]\nname = "x"\n');
    assert.deepEqual(await detectTestCommand(folderFiles(root)), { command: 'cargo test', reason: 'Cargo.toml found' });
  });

  it('gradle: the wrapper, else build.gradle(.kts); maven: the wrapper, else pom.xml', async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ gradlew: '#!/bin/sh\n', 'build.gradle.kts': '' }, './gradlew test', 'gradlew found'],
      [{ 'build.gradle': '' }, 'gradle test', 'build.gradle found'],
      [{ 'build.gradle.kts': '' }, 'gradle test', 'build.gradle.kts found'],
      [{ 'pom.xml': '<project/>', mvnw: '#!/bin/sh\n' }, './mvnw test', 'pom.xml and mvnw found'],
      [{ 'pom.xml': '<project/>' }, 'mvn test', 'pom.xml found'],
    ];
    for (const [files, command, reason] of cases) {
      await fsp.rm(root, { recursive: true, force: true });
      await fsp.mkdir(root);
      assert.deepEqual(await detect(files), { command, reason }, JSON.stringify(files));
    }
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
      reason: "set in Baton's settings",
    });
    assert.equal((await chooseTestCommand('   ', files))?.command, 'go test ./...');
    assert.equal((await chooseTestCommand(undefined, files))?.command, 'go test ./...');
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
