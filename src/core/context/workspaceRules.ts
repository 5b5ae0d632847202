// What may reach a model, judged by where a path really is in the workspace: tool, dependency and
// build folders, generated files, secret files, and the ignore files (.gitignore, .batonignore) of
// every folder on the way. The scan asks it about each entry as it walks; a link is judged by its
// real target; anything else that reads a workspace file for a prompt asks readRefusal first.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export type RuleReason = 'ignored' | 'excluded' | 'secret';

export interface Verdict {
  reason: RuleReason;
  detail: string;
}

// Folders that hold tools' state, dependencies or build output, never the project's own source.
const EXCLUDED_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  '.jj',
  'node_modules',
  'bower_components',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.eggs',
  '.gradle',
  '.idea',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '.parcel-cache',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  '.nyc_output',
  '.baton',
  '.vscode-test',
]);
// Generated files that are large and say little to a model.
const EXCLUDED_FILES = ignore().add([
  '*.min.js',
  '*.min.css',
  '*.map',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'poetry.lock',
  'Cargo.lock',
  'go.sum',
  '*.egg-info/',
]);
// Secrets never reach a model, whatever the ignore files say.
const SECRET_FILES = ignore().add([
  '.env',
  '.env.*',
  '*.env',
  '.envrc',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.kdbx',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  'credentials',
  'credentials.json',
  '*.tfstate',
  '*.tfvars',
  'secrets.*',
  '.secrets',
  // Certificates, more key formats, and the credential files of common tools (issue 6: fail closed).
  '*.crt',
  '*.cer',
  '*.der',
  '*.p7b',
  '*.p8',
  '*.ppk',
  '*.gpg',
  '*.ovpn',
  '*.tfstate.*',
  '.htpasswd',
  '.pgpass',
  '.my.cnf',
  '**/.aws/credentials',
  '**/.aws/config',
  '**/.docker/config.json',
  '.dockercfg',
  '**/.kube/config',
  'kubeconfig',
  '*.kubeconfig',
  'service-account*.json',
  '*-service-account.json',
  'client_secret*.json',
]);
export const IGNORE_FILES: readonly string[] = ['.gitignore', '.batonignore'];

const EXCLUDED_FOLDER: Verdict = { reason: 'excluded', detail: 'tool, dependency or build folder' };
const GENERATED_FILE: Verdict = { reason: 'excluded', detail: 'generated file' };
const SECRET_FILE: Verdict = { reason: 'secret', detail: 'looks like a secret or credential file' };

interface IgnoreFile {
  base: string; // folder the patterns are relative to, '' for the root
  ig: Ignore;
  source: string;
}

/** The rules of one workspace, with each folder's ignore files read once. Paths are relative, '/'-separated. */
export class WorkspaceRules {
  private readonly rulesInFolder = new Map<string, IgnoreFile[]>();

  constructor(
    /** The workspace folder's real path (no links in it). */
    readonly rootReal: string,
    /** Extra gitignore-style patterns relative to the root (e.g. files the person excluded). */
    exclude: readonly string[] = [],
  ) {
    const own = exclude.length ? [{ base: '', ig: ignore().add([...exclude]), source: 'Baton exclusions' }] : [];
    this.rulesInFolder.set('', [...own, ...this.readIgnoreFiles('', undefined)]);
  }

  /**
   * Records the folder's own ignore files as the walk enters it; `names` are its entries, so
   * folders without ignore files cost no failed reads. The walk enters parents before children.
   */
  enter(dirRel: string, names: ReadonlySet<string>): void {
    if (dirRel === '' || this.rulesInFolder.has(dirRel)) return;
    const own = this.readIgnoreFiles(dirRel, names);
    const inherited = this.rulesIn(parentOf(dirRel));
    this.rulesInFolder.set(dirRel, own.length ? [...inherited, ...own] : inherited);
  }

  /** Why a folder reached by walking is left out, judged by its name and its parents' rules. */
  folder(rel: string): Verdict | undefined {
    if (EXCLUDED_DIRS.has(baseName(rel))) return EXCLUDED_FOLDER;
    return ignoredBy(this.rulesIn(parentOf(rel)), rel, true);
  }

  /** Why a file reached by walking is left out. */
  file(rel: string): Verdict | undefined {
    if (SECRET_FILES.ignores(rel)) return SECRET_FILE;
    if (EXCLUDED_FILES.ignores(rel)) return GENERATED_FILE;
    return ignoredBy(this.rulesIn(parentOf(rel)), rel, false);
  }

  /**
   * A path not reached by walking (a link's target, a path a model names): it and every folder on
   * the way to it must pass, as the walk would have judged them.
   */
  path(rel: string, isDir: boolean): Verdict | undefined {
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) {
      const verdict = this.folder(segments.slice(0, i).join('/'));
      if (verdict) return verdict;
    }
    return isDir ? this.folder(rel) : this.file(rel);
  }

  private rulesIn(dirRel: string): IgnoreFile[] {
    let rules = this.rulesInFolder.get(dirRel);
    if (!rules) {
      const inherited = this.rulesIn(parentOf(dirRel));
      const own = this.readIgnoreFiles(dirRel, undefined);
      rules = own.length ? [...inherited, ...own] : inherited;
      this.rulesInFolder.set(dirRel, rules);
    }
    return rules;
  }

  private readIgnoreFiles(dirRel: string, names: ReadonlySet<string> | undefined): IgnoreFile[] {
    const rules: IgnoreFile[] = [];
    for (const name of IGNORE_FILES) {
      if (names && !names.has(name)) continue;
      const rel = dirRel ? `${dirRel}/${name}` : name;
      const text = this.readInside(rel);
      if (text !== undefined) rules.push({ base: dirRel, ig: ignore().add(text), source: rel });
    }
    return rules;
  }

  /** A small file's text, unless it is missing, unreadable, or a link leading out of the workspace. */
  private readInside(rel: string): string | undefined {
    const abs = join(this.rootReal, ...rel.split('/'));
    try {
      if (lstatSync(abs).isSymbolicLink() && !isInside(this.rootReal, realpathSync.native(abs))) return undefined;
      return readFileSync(abs, 'utf8');
    } catch {
      // An unreadable ignore file ignores nothing; the files it would hide are still guarded by the secret rules.
      return undefined;
    }
  }
}

/**
 * Why an existing workspace file must not be read for a prompt, judged as the scan judges it (its
 * own place, then where it really leads); undefined when it may be read or there is nothing there.
 */
export function readRefusal(rules: WorkspaceRules, rel: string): Verdict | { reason: 'symlink' | 'unreadable'; detail: string } | undefined {
  const segments = rel.split('/');
  if (rel.startsWith('/') || rel.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    return { reason: 'unreadable', detail: 'not a plain path inside the workspace' };
  }
  const abs = join(rules.rootReal, ...segments);
  try {
    lstatSync(abs);
  } catch {
    return undefined; // nothing there to read (creating it is a write, which the write rules decide)
  }
  const own = rules.path(rel, false);
  if (own) return own;
  let real: string;
  try {
    real = realpathSync.native(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { reason: code === 'ENOENT' ? 'symlink' : 'unreadable', detail: code === 'ENOENT' ? 'broken link' : (code ?? String(err)) };
  }
  if (!isInside(rules.rootReal, real)) return { reason: 'symlink', detail: 'link leads outside the workspace' };
  const targetRel = relativePath(rules.rootReal, real);
  if (targetRel === rel) return undefined;
  const target = rules.path(targetRel, false);
  return target ? { reason: target.reason, detail: `link to ${targetRel}, ${target.detail}` } : undefined;
}

export function isInside(rootReal: string, real: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
}

/** A real path under the root as a '/'-separated relative path ('' for the root itself). */
export function relativePath(rootReal: string, real: string): string {
  return relative(rootReal, real).split(sep).join('/');
}

function ignoredBy(rules: readonly IgnoreFile[], rel: string, isDir: boolean): Verdict | undefined {
  for (const r of rules) {
    const sub = r.base ? rel.slice(r.base.length + 1) : rel;
    if (r.ig.ignores(isDir ? `${sub}/` : sub)) return { reason: 'ignored', detail: `matched ${r.source}` };
  }
  return undefined;
}

function parentOf(rel: string): string {
  const at = rel.lastIndexOf('/');
  return at < 0 ? '' : rel.slice(0, at);
}

function baseName(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}
