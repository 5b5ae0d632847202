// The second confirmation for changes to sensitive paths (sensitivePaths.ts). The node run asks it
// after the person's diff review and before the checkpoint, and a checkpoint restore before it
// writes: without its yes, nothing sensitive is written. In the editor it is a warning with an
// explicit "Apply Sensitive Changes" button.
import type { ResolvedPath } from '../ports';
import { sensitiveChanges, type SensitiveChange } from './sensitivePaths';

/** A file's accepted change, as the guard needs it (verify's AcceptedChange is one). */
interface TextChange {
  path: string;
  before: string | undefined;
  text: string;
}

export interface SensitiveChangeGuard {
  /** Resolves true only when the person confirms these exact changes. */
  confirm(changes: SensitiveChange[], signal?: AbortSignal): Promise<boolean>;
}

export interface GuardedChanges<C extends TextChange> {
  /** What may be written: everything, or everything but the sensitive files. */
  apply: C[];
  /** Sensitive changes the guard did not confirm (or that had no guard to ask). */
  withheld: SensitiveChange[];
}

/**
 * Asks the guard about the sensitive ones, judged by each path and by where it really leads
 * (`resolved`, from WorkspaceFiles.prepare); with no guard, they are withheld (fail closed).
 */
export async function confirmSensitiveChanges<C extends TextChange>(
  accepted: C[],
  resolved: readonly ResolvedPath[],
  guard: SensitiveChangeGuard | undefined,
  signal?: AbortSignal,
): Promise<GuardedChanges<C>> {
  const realPaths = new Map(resolved.map((r) => [r.path, r.realPath]));
  const sensitive = sensitiveChanges(accepted.map((c) => ({ path: c.path, realPath: realPaths.get(c.path), before: c.before, text: c.text })));
  if (sensitive.length === 0) return { apply: accepted, withheld: [] };
  if (guard && (await guard.confirm(sensitive, signal))) return { apply: accepted, withheld: [] };
  const withheld = new Set(sensitive.map((s) => s.path));
  return { apply: accepted.filter((c) => !withheld.has(c.path)), withheld: sensitive };
}
