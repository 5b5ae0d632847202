// The project's test command as the project itself declares it, with the reason shown to the person
// before its first run ("pytest.ini found"): the setting first, then a declared test script or
// target, then what a toolchain's files say.
import type { DetectedTestCommand, TestCommandFiles } from './detectedTestCommand';
import { detectPythonTests } from './pythonTestCommand';

// Explicit declarations of "how to test this project" (a package.json script, a make target)
// come before what is inferred from a toolchain's files.
const detectors: ReadonlyArray<(files: TestCommandFiles) => Promise<DetectedTestCommand | undefined>> = [
  detectPackageJsonScript,
  detectMakeTarget,
  detectPythonTests,
  detectGo,
  detectCargo,
  detectGradle,
  detectMaven,
];

export async function detectTestCommand(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  for (const detect of detectors) {
    const found = await detect(files);
    if (found) return found;
  }
  return undefined;
}

/** The setting when it says something, else what the workspace suggests. */
export async function chooseTestCommand(configured: string | undefined, files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  const command = configured?.trim();
  if (command) return { command, reason: "set in Baton's settings" };
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

async function detectGo(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  return (await files.exists('go.mod')) ? { command: 'go test ./...', reason: 'go.mod found' } : undefined;
}

async function detectCargo(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  return (await files.exists('Cargo.toml')) ? { command: 'cargo test', reason: 'Cargo.toml found' } : undefined;
}

// The project's own wrapper pins the build tool's version, so it comes before a globally installed one.
async function detectGradle(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  if (await files.exists('gradlew')) return { command: './gradlew test', reason: 'gradlew found' };
  for (const build of ['build.gradle.kts', 'build.gradle']) {
    if (await files.exists(build)) return { command: 'gradle test', reason: `${build} found` };
  }
  return undefined;
}

async function detectMaven(files: TestCommandFiles): Promise<DetectedTestCommand | undefined> {
  if (!(await files.exists('pom.xml'))) return undefined;
  return (await files.exists('mvnw')) ? { command: './mvnw test', reason: 'pom.xml and mvnw found' } : { command: 'mvn test', reason: 'pom.xml found' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
