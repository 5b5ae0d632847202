// Paths where a change does more than change code: it can run commands (CI, editor tasks, package
// scripts, make targets, git hooks), redirect tools (registries, editor settings) or touch secrets
// (env files). Workspace text is data, and a model that read instructions hidden in it may propose
// exactly such a change; so even after the person accepts it in the diff review, it needs a second
// confirmation that names what is special about it.

export interface SensitiveChange {
  path: string;
  /** Why it needs a second confirmation, for the person: "CI configuration runs commands on every push". */
  reason: string;
}

interface Rule {
  test: (path: string) => boolean;
  reason: string;
}

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const under = (...folders: string[]) => (path: string): boolean => folders.some((f) => path === f || path.startsWith(`${f}/`) || path.includes(`/${f}/`));
const named = (...names: string[]) => (path: string): boolean => names.includes(base(path));

const RULES: readonly Rule[] = [
  { test: under('.vscode'), reason: 'editor settings and tasks (.vscode/) can run commands and redirect tools' },
  { test: (p) => p.endsWith('.code-workspace'), reason: 'a workspace file holds editor settings and tasks' },
  { test: under('.github', '.circleci', '.buildkite', '.ci', '.gitlab'), reason: 'CI configuration runs commands with the repository\'s secrets' },
  {
    test: named('.gitlab-ci.yml', 'Jenkinsfile', 'azure-pipelines.yml', '.travis.yml', 'bitbucket-pipelines.yml', '.drone.yml', 'appveyor.yml', 'cloudbuild.yaml'),
    reason: 'CI configuration runs commands with the repository\'s secrets',
  },
  { test: (p) => /^(?:\.env(?:\..*)?|.*\.env|\.envrc)$/.test(base(p)), reason: 'environment files hold secrets and settings' },
  { test: (p) => named('Makefile', 'makefile', 'GNUmakefile')(p) || p.endsWith('.mk'), reason: 'make targets run commands (make test is a test command)' },
  { test: named('tox.ini', 'noxfile.py'), reason: 'it defines the commands the test run executes' },
  { test: (p) => under('.git', '.husky', '.githooks')(p) || named('.gitattributes', '.gitmodules', '.pre-commit-config.yaml', 'lefthook.yml')(p), reason: 'git hooks and attributes run commands on commit and checkout' },
  { test: under('.devcontainer'), reason: 'dev container configuration runs commands when the folder opens' },
  { test: named('.npmrc', '.yarnrc', '.yarnrc.yml', 'pip.conf', '.pypirc', 'bunfig.toml'), reason: 'package registry settings decide where dependencies come from' },
  { test: under('.baton'), reason: 'Baton\'s own state (task tree, checkpoints)' },
];

/** Why a change to this file needs a second confirmation, or undefined when it does not. */
export function sensitivePathReason(path: string, before: string | undefined, after: string): string | undefined {
  const rule = RULES.find((r) => r.test(path));
  if (rule) return rule.reason;
  if (base(path) === 'package.json' && packageScripts(before) !== packageScripts(after)) {
    return 'package.json scripts change, and they run on install and as the test command';
  }
  return undefined;
}

export function sensitiveChanges(changes: readonly { path: string; before: string | undefined; text: string }[]): SensitiveChange[] {
  return changes.flatMap((c) => {
    const reason = sensitivePathReason(c.path, c.before, c.text);
    return reason ? [{ path: c.path, reason }] : [];
  });
}

/** The scripts (and lifecycle hooks' home) of a package.json, as comparable text; unreadable counts as its own value. */
function packageScripts(text: string | undefined): string {
  if (text === undefined) return '{}';
  try {
    const manifest = JSON.parse(text) as { scripts?: unknown; bin?: unknown };
    return JSON.stringify([manifest.scripts ?? {}, manifest.bin ?? null]);
  } catch {
    return `unreadable:${text}`;
  }
}
