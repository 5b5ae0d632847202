import type { ResolvedPath } from '../core/ports';
import type { LinkApproval } from '../core/security/pathPolicy';
import { askWhole } from './notifications';

/**
 * The person's yes before Baton writes or deletes through a link inside the workspace: a warning
 * naming each path, the link on the way and the file it really changes. A notification rather
 * than a modal dialog, like Baton's other confirmations: the write waits on the answer either way,
 * VS Code refuses modal dialogs to extensions under test, and dismissing it writes nothing. A list
 * too long for a notification is open whole in an editor beside it.
 */
export class LinkApprovalNotification implements LinkApproval {
  async approve(paths: readonly ResolvedPath[], action: 'write' | 'delete'): Promise<boolean> {
    const button = action === 'write' ? 'Write Through Link' : 'Delete Through Link';
    const described = paths.map(
      (p) =>
        `"${p.path}" ${p.links.map((link) => (link.kind === 'symbolic' ? `goes through the link "${link.path}" → "${link.leadsTo}"` : `has ${link.names} names (hard links), and all of them change`)).join(' and ')}${p.realPath === p.path ? '' : `, so Baton would ${action} "${p.realPath}"`}`,
    );
    const answer = await askWhole(
      {
        text: `Baton: ${described.join('; ')}. A repository's links can lead to files you did not mean to change: ${action} through ${paths.length === 1 ? 'it' : 'them'} only if you expected this.`,
        heading: `${action === 'write' ? 'Write' : 'Delete'} through links in the workspace?`,
      },
      button,
    );
    return answer === button;
  }
}
