// A Python project's test command. pytest only when the project says it uses pytest (its
// configuration, a conftest.py, or pytest among its requirements): pytest runs unittest tests too,
// but it is often not installed, and a project whose tests are plain unittest runs them with
// `python -m unittest`, which every Python has.
import type { DetectedTestCommand, TestCommandFiles } from './detectedTestCommand';

const PYTEST_COMMAND = 'python -m pytest -q';

const PYTEST_SECTIONS: ReadonlyArray<{ file: string; section: RegExp; name: string }> = [
  { file: 'pyproject.toml', section: /^\s*\[tool\.pytest(?:\.ini_options)?\]/m, name: '[tool.pytest.ini_options]' },
  { file: 'setup.cfg', section: /^\s*\[tool:pytest\]/m, name: '[tool:pytest]' },
  { file: 'tox.ini', section: /^\s*\[pytest\]/m, name: '[pytest]' },
];

// A requirement line naming pytest or one of its plugins (which need it): "pytest", "pytest>=8", "pytest-cov==5".
const PYTEST_REQUIREMENT_LINE = /^\s*pytest(?:[-_][A-Za-z0-9_.-]+)?\s*(?:[<>=!~;[#@]|$)/im;
// pytest as a dependency string in pyproject.toml ("pytest>=8" in a dependency group or an extra), or a
// Poetry / Pipfile table key (pytest = "^8").
const PYTEST_DEPENDENCY_STRING = /["']pytest(?:[-_][A-Za-z0-9_.-]+)?\s*(?:[<>=!~;[]|["'])/i;
const PYTEST_TABLE_KEY = /^\s*pytest(?:[-_][A-Za-z0-9_.-]+)?\s*=/im;
const REQUIREMENT_FILES = [
  'requirements.txt',
  'requirements-dev.txt',
  'requirements_dev.txt',
  'dev-requirements.txt',
  'requirements-test.txt',
  'test-requirements.txt',
];
const REQUIREMENT_FOLDERS = ['requirements'];

// unittest's discovery pattern (test*.py), and pytest's other usual name (*_test.py) for the pytest case.
const UNITTEST_FILE_NAME = /^test.*\.py$/;
const TEST_FOLDERS = ['tests', 'test'];

export async function detectPythonTests(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  const pytest = await pytestReason(files);
  if (pytest) return { command: PYTEST_COMMAND, reason: pytest };
  return unittestCommand(files);
}

/** Why this project uses pytest, or undefined when nothing says so. */
async function pytestReason(files: TestCommandFiles): Promise<string | undefined> {
  // pytest treats pytest.ini as its configuration even when it is empty.
  if (await files.exists('pytest.ini')) return 'pytest.ini found';
  for (const { file, section, name } of PYTEST_SECTIONS) {
    const text = await files.readText(file);
    if (text !== undefined && section.test(text)) return `${file} has ${name}`;
  }
  for (const conftest of ['conftest.py', ...TEST_FOLDERS.map((folder) => `${folder}/conftest.py`)]) {
    if (await files.exists(conftest)) return `${conftest} found`;
  }
  for (const file of await requirementFiles(files)) {
    const text = await files.readText(file);
    if (text !== undefined && PYTEST_REQUIREMENT_LINE.test(text)) return `${file} lists pytest`;
  }
  const pyproject = await files.readText('pyproject.toml');
  if (pyproject !== undefined && (PYTEST_DEPENDENCY_STRING.test(pyproject) || PYTEST_TABLE_KEY.test(pyproject))) return 'pyproject.toml lists pytest';
  const pipfile = await files.readText('Pipfile');
  if (pipfile !== undefined && PYTEST_TABLE_KEY.test(pipfile)) return 'Pipfile lists pytest';
  return undefined;
}

async function requirementFiles(files: TestCommandFiles): Promise<string[]> {
  const inFolders = await Promise.all(
    REQUIREMENT_FOLDERS.map(async (folder) => ((await files.list?.(folder)) ?? []).filter((name) => name.endsWith('.txt')).map((name) => `${folder}/${name}`)),
  );
  return [...REQUIREMENT_FILES, ...inFolders.flat()];
}

/**
 * `python -m unittest` where its discovery finds the tests: from the top for test files there or in
 * a tests package (a folder with __init__.py), else `discover -s <folder>` for a plain tests folder,
 * which the top-level discovery never enters.
 */
async function unittestCommand(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  const atTop = (await files.list?.('.'))?.find((name) => UNITTEST_FILE_NAME.test(name));
  if (atTop) return { command: 'python -m unittest', reason: `${atTop} found, and nothing configures pytest` };
  for (const folder of TEST_FOLDERS) {
    const example = (await files.list?.(folder))?.find((name) => UNITTEST_FILE_NAME.test(name));
    if (!example) continue;
    const reason = `${folder}/${example} found, and nothing configures pytest`;
    if (await files.exists(`${folder}/__init__.py`)) return { command: 'python -m unittest', reason };
    return { command: `python -m unittest discover -s ${folder}`, reason };
  }
  return undefined;
}
