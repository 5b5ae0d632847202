// The second confirmation for changes to sensitive paths (sensitivePaths.ts). The node run asks it
// after the person's diff review and before the checkpoint: without its yes, nothing sensitive is
// written. In the editor it is a warning with an explicit "Apply Sensitive Changes" button.
import type { AcceptedChange } from '../verify/types';
import { sensitiveChanges, type SensitiveChange } from './sensitivePaths';

export interface SensitiveChangeGuard {
  /** Resolves true only when the person confirms these exact changes. */
  confirm(changes: SensitiveChange[], signal?: AbortSignal): Promise<boolean>;
}

export interface GuardedChanges {
  /** What may be written: everything, or everything but the sensitive files. */
  apply: AcceptedChange[];
  /** Sensitive changes the guard did not confirm (or that had no guard to ask). */
  withheld: SensitiveChange[];
}

/** Asks the guard about the sensitive ones; with no guard, they are withheld (fail closed). */
export async function confirmSensitiveChanges(accepted: AcceptedChange[], guard: SensitiveChangeGuard | undefined, signal?: AbortSignal): Promise<GuardedChanges> {
  const sensitive = sensitiveChanges(accepted);
  if (sensitive.length === 0) return { apply: accepted, withheld: [] };
  if (guard && (await guard.confirm(sensitive, signal))) return { apply: accepted, withheld: [] };
  const withheld = new Set(sensitive.map((s) => s.path));
  return { apply: accepted.filter((c) => !withheld.has(c.path)), withheld: sensitive };
}
