import type { SensitiveChangeGuard } from '../core/security/sensitiveChangeGuard';
import type { SensitiveChange } from '../core/security/sensitivePaths';
import { NOTIFICATION_ONLY, type Asking } from './runActivity';

const APPLY = 'Apply Sensitive Changes';

/**
 * The second confirmation for changes to sensitive paths (an accepted proposal, a restore): a
 * warning naming each file, where it really leads, and why it matters, written only on the
 * explicit button. Dismissing it or cancelling the run withholds them.
 */
export class SensitiveChangeConfirmation implements SensitiveChangeGuard {
  /** `nodeId`: the node whose changes they are (shown on it in the sidebar); null for a restore. */
  constructor(private readonly asking: Asking = NOTIFICATION_ONLY) {}

  async confirm(changes: SensitiveChange[], signal?: AbortSignal): Promise<boolean> {
    // By the path asked for and, through a link, the file really written: "meta/config → .git/config".
    const list = changes.map((c) => `${c.path}${c.realPath ? ` → ${c.realPath}` : ''} (${c.reason})`).join('; ');
    const answer = await this.asking.ask(
      {
        nodeId: this.asking.nodeId,
        kind: 'sensitiveChanges',
        text: `Baton: these changes touch sensitive files: ${list}. Workspace text (and a checkpoint in it) can ask for such changes; write them only if you meant to.`,
        choices: [APPLY, 'Skip These Files'],
      },
      signal,
    );
    return answer === APPLY;
  }
}
