// Paths where a change does more than change code: it can run commands (CI, editor tasks, task
// runners, test configuration, build files, git hooks), redirect tools (registries, toolchains,
// editor settings) or touch secrets (env files). Workspace text is data, and a model that read
// instructions hidden in it may propose exactly such a change; so even after the person accepts it
// in the diff review (or a checkpoint restore would write it), it needs a second confirmation that
// names what is special about it.
//
// Matched on the path asked for AND on where it really leads (a link `meta -> .git` makes
// `meta/config` git's config), always without case, after Unicode NFKC and without invisible
// characters: a case-insensitive file system opens `.GIT/config` as `.git/config` (and `.vſcode` as
// `.vscode`), Windows drops trailing dots and spaces, and its short names (`GIT~1`) open what they
// abbreviate.

export interface SensitiveChange {
  path: string;
  /** Where the path really leads, when a link on the way makes it another file. */
  realPath?: string;
  /** Why it needs a second confirmation, for the person: "CI configuration runs commands on every push". */
  reason: string;
}

/** A change to one file: its text before and after (undefined: absent, as for a delete). */
export interface PathChange {
  path: string;
  realPath?: string;
  before: string | undefined;
  text: string | undefined;
}

interface Rule {
  /** Gets the path lower-cased, NFKC-normalised, '/'-separated. */
  test: (path: string) => boolean;
  reason: string;
}

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
/** In (or named as) a folder with this name, at any depth; a folder may span segments ("gradle/wrapper"). */
const inFolder =
  (...folders: string[]) =>
  (path: string): boolean =>
    folders.some((f) => `/${path}/`.includes(`/${f}/`));
const named =
  (...names: string[]) =>
  (path: string): boolean =>
    names.includes(base(path));
const matching =
  (pattern: RegExp) =>
  (path: string): boolean =>
    pattern.test(base(path));
const any =
  (...tests: ((path: string) => boolean)[]) =>
  (path: string): boolean =>
    tests.some((t) => t(path));

const CI_REASON = "CI configuration runs commands with the repository's secrets";

// A Windows short name ("GIT~1", "VSCODE~1", "SETTIN~1.JSO"): on a volume that keeps them it opens
// the file or folder it abbreviates, whatever its long name.
const SHORT_NAME = /^[^~]{1,6}~\d+(?:\.[^.]{0,3})?$/;

const RULES: readonly Rule[] = [
  { test: inFolder('.git'), reason: "git's own folder: its config and hooks run commands on commit, checkout and fetch" },
  {
    test: (path) => path.split('/').some((segment) => SHORT_NAME.test(segment)),
    reason: 'a Windows short name (like GIT~1) opens the file or folder it abbreviates, such as .git or .vscode',
  },
  {
    test: any(
      inFolder('.husky', '.githooks', '.lefthook'),
      named('.gitattributes', '.gitmodules', '.pre-commit-config.yaml', 'lefthook.yml', 'lefthook.yaml', '.lefthook.yml'),
    ),
    reason: 'git hooks and attributes run commands on commit and checkout',
  },
  { test: inFolder('.baton'), reason: "Baton's own state (task tree, checkpoints, journal)" },
  {
    test: any(inFolder('.vscode', '.idea', '.fleet', '.zed'), matching(/\.code-workspace$/)),
    reason: 'editor settings, tasks and launch configurations can run commands and redirect tools',
  },
  {
    test: any(inFolder('.devcontainer'), named('.devcontainer.json', '.gitpod.yml', '.gitpod.dockerfile')),
    reason: 'dev container configuration runs commands when the folder opens',
  },
  { test: inFolder('.github', '.circleci', '.buildkite', '.ci', '.gitlab', '.gitea', '.forgejo', '.woodpecker', '.semaphore'), reason: CI_REASON },
  {
    test: named(
      '.gitlab-ci.yml',
      'jenkinsfile',
      'azure-pipelines.yml',
      '.travis.yml',
      'bitbucket-pipelines.yml',
      '.drone.yml',
      'appveyor.yml',
      'cloudbuild.yaml',
      '.cirrus.yml',
      '.woodpecker.yml',
      'bitrise.yml',
      'codemagic.yaml',
      'buildspec.yml',
    ),
    reason: CI_REASON,
  },
  { test: matching(/^(?:\.env(?:\..*)?|.*\.env|\.envrc)$/), reason: 'environment files hold secrets and settings (and direnv runs .envrc)' },
  {
    test: any(
      named(
        'makefile',
        'gnumakefile',
        'justfile',
        '.justfile',
        'taskfile.yml',
        'taskfile.yaml',
        'taskfile.dist.yml',
        'rakefile',
        'jakefile',
        'jakefile.js',
        'magefile.go',
      ),
      matching(/\.(?:mk|just|rake)$/),
      matching(/^(?:gulpfile|gruntfile)\.(?:[cm]?[jt]s|coffee|babel\.js)$/),
    ),
    reason: 'a task runner file: it defines the commands make, just, task, rake, gulp or grunt run (often the test command)',
  },
  {
    test: named(
      'conftest.py',
      'pytest.ini',
      '.pytest.ini',
      'setup.cfg',
      'setup.py',
      'pyproject.toml',
      'tox.ini',
      'noxfile.py',
      'sitecustomize.py',
      'usercustomize.py',
    ),
    reason: 'Python runs it, or reads from it which plugins and commands to run, when the tests run or the package builds',
  },
  {
    test: any(
      matching(
        /^(?:jest|vitest|vite|webpack|rollup|babel|eslint|prettier|postcss|tailwind|next|nuxt|svelte|astro|playwright|cypress|karma|ava|stylelint|commitlint|lint-staged|tsup|vue|metro|wdio|nightwatch|stryker|remix)\.(?:config|conf)(?:\.[\w-]+)?\.[cm]?[jt]s$/,
      ),
      matching(/^(?:gatsby-(?:config|node)|vitest\.workspace)\.[cm]?[jt]s$/),
      matching(/^\.(?:mocharc|babelrc|eslintrc|swcrc|lintstagedrc|prettierrc)(?:\..*)?$/),
      named('babel.config.json', 'turbo.json', 'nx.json', 'lerna.json'),
    ),
    reason: 'configuration of a JavaScript build or test tool: code (or commands) the tool runs with the tests and the build',
  },
  {
    test: any(
      named('.npmrc', '.yarnrc', '.yarnrc.yml', 'bunfig.toml', 'pip.conf', 'pip.ini', '.pypirc', '.condarc', '.pnpmfile.cjs'),
      inFolder('.yarn', '.cargo'),
    ),
    reason: 'package manager settings and hooks decide where dependencies come from and what runs on install (.cargo/config can swap the compiler)',
  },
  {
    test: named(
      'rust-toolchain',
      'rust-toolchain.toml',
      '.nvmrc',
      '.node-version',
      '.python-version',
      '.ruby-version',
      '.tool-versions',
      'mise.toml',
      '.mise.toml',
      '.sdkmanrc',
      'global.json',
    ),
    reason: "it chooses which toolchain (and version) runs the project's commands, and may download it",
  },
  {
    test: any(
      named(
        'build.rs',
        'build.zig',
        'gradlew',
        'gradlew.bat',
        'gradle.properties',
        'mvnw',
        'mvnw.cmd',
        'pom.xml',
        'build.sbt',
        'cmakelists.txt',
        'meson.build',
        'sconstruct',
        'gemfile',
        'build',
        'build.bazel',
        'workspace',
        'workspace.bazel',
        'module.bazel',
      ),
      matching(/\.(?:gradle|gradle\.kts|cmake|bzl)$/),
      inFolder('gradle/wrapper', '.mvn'),
    ),
    reason: 'a build file or build wrapper: code the build runs on every build and test',
  },
];

/** Why a change to this file needs a second confirmation, or undefined when it does not. */
export function sensitivePathReason(path: string, before?: string, after?: string): string | undefined {
  const key = comparable(path);
  const rule = RULES.find((r) => r.test(key));
  if (rule) return rule.reason;
  if (base(key) === 'package.json' && packageScripts(before) !== packageScripts(after)) {
    return 'package.json scripts change, and they run on install and as the test command';
  }
  return undefined;
}

/** The sensitive ones among these changes, judged by the path asked for and by where it leads. */
export function sensitiveChanges(changes: readonly PathChange[]): SensitiveChange[] {
  return changes.flatMap((c) => {
    const real = c.realPath !== undefined && c.realPath !== c.path ? c.realPath : undefined;
    const reason = sensitivePathReason(c.path, c.before, c.text) ?? (real === undefined ? undefined : sensitivePathReason(real, c.before, c.text));
    if (!reason) return [];
    return [real === undefined ? { path: c.path, reason } : { path: c.path, realPath: real, reason }];
  });
}

/**
 * Lower case after NFKC (which folds "ſ", an s to a case-insensitive file system, and look-alikes
 * such as full-width letters, which a person may take for the letter: those ask too), without
 * invisible characters (HFS+ ignores them in names), and each name as Windows reads it (no trailing
 * dots or spaces, no ":stream").
 */
function comparable(path: string): string {
  return path
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .toLowerCase()
    .split('/')
    .map((segment) => {
      const name = segment.split(':')[0] ?? segment;
      return name.replace(/[. ]+$/, '') || name;
    })
    .join('/');
}

/** What in a package.json runs code (scripts, bins, the package manager it pins), as comparable text; unreadable counts as its own value. */
function packageScripts(text: string | undefined): string {
  if (text === undefined) return '{}';
  try {
    const manifest = JSON.parse(text) as { scripts?: unknown; bin?: unknown; packageManager?: unknown };
    return JSON.stringify([manifest.scripts ?? {}, manifest.bin ?? null, manifest.packageManager ?? null]);
  } catch {
    return `unreadable:${text}`;
  }
}
