import type { SensitiveChangeGuard } from '../core/security/sensitiveChangeGuard';
import type { SensitiveChange } from '../core/security/sensitivePaths';
import { notifyWarning } from './notifications';

const APPLY = 'Apply Sensitive Changes';

/**
 * The second confirmation for accepted changes to sensitive paths: a warning naming each file and
 * why it matters, applied only on the explicit button. Dismissing it or cancelling the run withholds them.
 */
export class SensitiveChangeConfirmation implements SensitiveChangeGuard {
  async confirm(changes: SensitiveChange[], signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    const list = changes.map((c) => `${c.path} (${c.reason})`).join('; ');
    const answer = notifyWarning(
      `Baton: you accepted changes to sensitive files: ${list}. Workspace text can ask a model for such changes; apply them only if you meant to.`,
      APPLY,
      'Skip These Files',
    );
    const cancelled = new Promise<undefined>((resolve) => signal?.addEventListener('abort', () => resolve(undefined), { once: true }));
    return (await Promise.race([answer, cancelled])) === APPLY;
  }
}
