import type { SensitiveChangeGuard } from '../core/security/sensitiveChangeGuard';

/**
 * The second yes for sensitive files (CI, .git, .vscode, env files, task runners, package scripts)
 * on the command line: `--allow-sensitive PATH` naming each of them. Anything sensitive not named is
 * refused with the reason and the flag that would allow it.
 */
export function allowSensitiveFlags(paths: readonly string[] | undefined, say: (text: string) => void): SensitiveChangeGuard {
  const allowed = new Set((paths ?? []).map((p) => p.replace(/\\/g, '/').replace(/^(\.\/)+/, '')));
  return {
    async confirm(changes) {
      const missing = changes.filter((c) => !allowed.has(c.path) && !(c.realPath !== undefined && allowed.has(c.realPath)));
      for (const c of missing) {
        say(`Refused to write "${c.path}"${c.realPath ? ` (really "${c.realPath}")` : ''}: ${c.reason}. Add --allow-sensitive ${c.path} to write it.`);
      }
      if (missing.length === 0) say(`Writing sensitive files you allowed: ${changes.map((c) => c.path).join(', ')}.`);
      return missing.length === 0;
    },
  };
}
