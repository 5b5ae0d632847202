import type { SensitiveChangeGuard } from '../core/security/sensitiveChangeGuard';
import type { SensitiveChange } from '../core/security/sensitivePaths';
import { notifyWarning } from './notifications';

const APPLY = 'Apply Sensitive Changes';

/**
 * The second confirmation for changes to sensitive paths (an accepted proposal, a restore): a
 * warning naming each file, where it really leads, and why it matters, written only on the
 * explicit button. Dismissing it or cancelling the run withholds them.
 */
export class SensitiveChangeConfirmation implements SensitiveChangeGuard {
  async confirm(changes: SensitiveChange[], signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    // By the path asked for and, through a link, the file really written: "meta/config → .git/config".
    const list = changes.map((c) => `${c.path}${c.realPath ? ` → ${c.realPath}` : ''} (${c.reason})`).join('; ');
    const answer = notifyWarning(
      `Baton: these changes touch sensitive files: ${list}. Workspace text (and a checkpoint in it) can ask for such changes; write them only if you meant to.`,
      APPLY,
      'Skip These Files',
    );
    const cancelled = new Promise<undefined>((resolve) => signal?.addEventListener('abort', () => resolve(undefined), { once: true }));
    return (await Promise.race([answer, cancelled])) === APPLY;
  }
}
