import { promises as fsp, readFileSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** A text file that may be offered to a model. */
export interface ScannedFile {
  path: string; // relative to the root, '/' separators
  size: number; // bytes
  text: string;
}

export type SkipReason = 'ignored' | 'excluded' | 'secret' | 'binary' | 'too-large' | 'not-utf8' | 'unreadable' | 'symlink' | 'file-limit';

/** Something left out of the scan, and why: the ledger shows these. */
export interface SkippedEntry {
  path: string; // a file, or a folder (ending in '/') left out as a whole
  reason: SkipReason;
  detail: string;
}

export interface ScanOptions {
  maxFileBytes?: number;
  maxFiles?: number;
  /** Extra gitignore-style patterns, relative to the root (e.g. files the person excluded). */
  exclude?: readonly string[];
}

export interface ScanResult {
  root: string;
  files: ScannedFile[];
  skipped: SkippedEntry[];
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_FILES = 50_000;

// Folders that hold tools' state, dependencies or build output, never the project's own source.
const EXCLUDED_DIRS = new Set([
  '.git', '.hg', '.svn', '.jj', 'node_modules', 'bower_components', '.venv', 'venv', '__pycache__', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', '.tox', '.nox', '.eggs', '.gradle', '.idea', '.next', '.nuxt', '.turbo',
  '.cache', '.parcel-cache', 'dist', 'build', 'out', 'target', 'coverage', '.nyc_output', '.baton', '.vscode-test',
]);
// Generated files that are large and say little to a model.
const EXCLUDED_FILES = ignore().add(['*.min.js', '*.min.css', '*.map', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'Cargo.lock', 'go.sum', '*.egg-info/']);
// Secrets never reach a model, whatever the ignore files say.
const SECRET_FILES = ignore().add([
  '.env', '.env.*', '*.env', '.envrc', '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore', '*.kdbx', 'id_rsa*', 'id_dsa*',
  'id_ecdsa*', 'id_ed25519*', '.netrc', '.npmrc', '.pypirc', '.git-credentials', 'credentials', 'credentials.json',
  '*.tfstate', '*.tfvars', 'secrets.*', '.secrets',
  // Certificates, more key formats, and the credential files of common tools (issue 6: fail closed).
  '*.crt', '*.cer', '*.der', '*.p7b', '*.p8', '*.ppk', '*.gpg', '*.ovpn', '*.tfstate.*', '.htpasswd', '.pgpass', '.my.cnf',
  '**/.aws/credentials', '**/.aws/config', '**/.docker/config.json', '.dockercfg', '**/.kube/config', 'kubeconfig', '*.kubeconfig',
  'service-account*.json', '*-service-account.json', 'client_secret*.json',
]);
const IGNORE_FILES = ['.gitignore', '.batonignore'];
const SNIFF_BYTES = 8000;

interface Rules {
  base: string; // folder the patterns are relative to, '' for the root
  ig: Ignore;
  source: string;
}

/** Lists the text files under `root` that may reach a model, and everything left out with its reason. */
export async function scanWorkspace(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const skipped: SkippedEntry[] = [];
  const candidates: { path: string; abs: string }[] = [];
  const rootReal = realpathSync(root);
  const visitedDirs = new Set<string>([rootReal]);
  const rootRules: Rules[] = options.exclude?.length ? [{ base: '', ig: ignore().add([...options.exclude]), source: 'Baton exclusions' }] : [];

  const walk = (dirAbs: string, dirRel: string, inherited: Rules[]): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (err) {
      skipped.push({ path: `${dirRel}/`, reason: 'unreadable', detail: errorText(err) });
      return;
    }
    const rules = [...inherited, ...readIgnoreFiles(dirAbs, dirRel, entries)];
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      const abs = join(dirAbs, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // Links are judged by where they lead: never outside the workspace, never in a loop.
        let target: string;
        try {
          target = realpathSync(abs);
        } catch {
          skipped.push({ path: rel, reason: 'symlink', detail: 'broken link' });
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + sep)) {
          skipped.push({ path: rel, reason: 'symlink', detail: 'link leads outside the workspace' });
          continue;
        }
        const targetRel = relative(rootReal, target).split(sep).join('/');
        // A link to the workspace root itself has an empty relative path, which is no file name.
        const linkedSecret = targetRel ? secretRule(targetRel) : undefined;
        if (linkedSecret) {
          skipped.push({ path: rel, reason: 'secret', detail: `link to ${targetRel}, ${linkedSecret}` });
          continue;
        }
        const targetIsDir = statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
        if (targetIsDir && visitedDirs.has(target)) {
          skipped.push({ path: `${rel}/`, reason: 'symlink', detail: `link loop back to ${targetRel || '.'}` });
          continue;
        }
        isDir = targetIsDir;
        isFile = !targetIsDir;
        if (isDir) visitedDirs.add(target);
      }
      if (isDir) {
        if (EXCLUDED_DIRS.has(entry.name)) {
          skipped.push({ path: `${rel}/`, reason: 'excluded', detail: 'tool, dependency or build folder' });
          continue;
        }
        const rule = matchRules(rules, rel, true);
        if (rule) {
          skipped.push({ path: `${rel}/`, reason: 'ignored', detail: rule });
          continue;
        }
        if (!entry.isSymbolicLink()) {
          try {
            visitedDirs.add(realpathSync(abs));
          } catch {
            // unreadable folders are reported when walked
          }
        }
        walk(abs, rel, rules);
      } else if (isFile) {
        const secret = secretRule(rel);
        if (secret) skipped.push({ path: rel, reason: 'secret', detail: secret });
        else if (EXCLUDED_FILES.ignores(rel)) skipped.push({ path: rel, reason: 'excluded', detail: 'generated file' });
        else {
          const rule = matchRules(rules, rel, false);
          if (rule) skipped.push({ path: rel, reason: 'ignored', detail: rule });
          else candidates.push({ path: rel, abs });
        }
      }
    }
  };
  walk(rootReal, '', rootRules);

  for (const extra of candidates.splice(maxFiles)) {
    skipped.push({ path: extra.path, reason: 'file-limit', detail: `more than ${maxFiles} files in the workspace` });
  }
  const files: ScannedFile[] = [];
  await forEachLimited(candidates, 32, async ({ path, abs }) => {
    const result = await readTextFile(abs, maxBytes);
    if ('text' in result) files.push({ path, size: result.size, text: result.text });
    else skipped.push({ path, ...result });
  });
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: rootReal, files, skipped };
}

function readIgnoreFiles(dirAbs: string, dirRel: string, entries: Dirent[]): Rules[] {
  const rules: Rules[] = [];
  for (const name of IGNORE_FILES) {
    if (!entries.some((e) => e.name === name && (e.isFile() || e.isSymbolicLink()))) continue;
    try {
      const text = readFileSync(join(dirAbs, name), 'utf8');
      rules.push({ base: dirRel, ig: ignore().add(text), source: dirRel ? `${dirRel}/${name}` : name });
    } catch {
      // an unreadable ignore file ignores nothing; the files it would hide are still guarded by the secret rules
    }
  }
  return rules;
}

function matchRules(rules: Rules[], rel: string, isDir: boolean): string | undefined {
  for (const r of rules) {
    const sub = r.base ? rel.slice(r.base.length + 1) : rel;
    if (r.ig.ignores(isDir ? `${sub}/` : sub)) return `matched ${r.source}`;
  }
  return undefined;
}

function secretRule(rel: string): string | undefined {
  return SECRET_FILES.ignores(rel) ? 'looks like a secret or credential file' : undefined;
}

type ReadResult = { text: string; size: number } | { reason: SkipReason; detail: string };

async function readTextFile(abs: string, maxBytes: number): Promise<ReadResult> {
  try {
    const stat = await fsp.stat(abs);
    if (stat.size > maxBytes) return { reason: 'too-large', detail: `${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit (setting baton.context.maxFileBytes)` };
    const bytes = await fsp.readFile(abs);
    if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { reason: 'binary', detail: 'holds NUL bytes' };
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), size: bytes.length };
    } catch {
      return { reason: 'not-utf8', detail: 'not valid UTF-8 text' };
    }
  } catch (err) {
    return { reason: 'unreadable', detail: errorText(err) };
  }
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function errorText(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`;
}
