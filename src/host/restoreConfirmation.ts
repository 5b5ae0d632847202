import type { RevertOptions, RevertStep } from '../core/checkpoints/checkpointStore';
import { NOTIFICATION_ONLY, type Asking } from './runActivity';
import { SensitiveChangeConfirmation } from './sensitiveChangeConfirmation';

const RESTORE = 'Restore';

/**
 * The gates of a restore in the editor: the person's yes to the exact files it will create, rewrite
 * or delete (with where a link on the way leads), asked by the store once it knows them, then the
 * same second confirmation for sensitive files as an apply. Nothing skips them: whatever invoked the
 * restore (a `command:` link can pass any argument), the person says yes.
 */
export function restoreGates(label: string, asking: Asking = NOTIFICATION_ONLY): Pick<RevertOptions, 'confirm' | 'sensitiveChanges'> {
  return { sensitiveChanges: new SensitiveChangeConfirmation(asking), confirm: (steps) => confirmSteps(label, steps, asking) };
}

async function confirmSteps(label: string, steps: readonly RevertStep[], asking: Asking): Promise<boolean> {
  if (steps.length === 0) return true; // nothing differs: nothing to write
  const listed = steps
    .map((step) => `${VERBS[step.action]} "${step.path}"${step.realPath === step.path ? '' : ` (really "${step.realPath}", through a link)`}`)
    .join(', ');
  // A notification, not a modal dialog: VS Code refuses modal dialogs to extensions under test,
  // and a notification waits without blocking the editor.
  const choice = await asking.ask({
    nodeId: asking.nodeId,
    kind: 'restore',
    text: `Baton: restore to before "${label}"? It will ${listed}. Later steps on these files are taken back too; the restore is itself a checkpoint, so it can be undone.`,
    choices: [RESTORE, 'Not Now'],
  });
  return choice === RESTORE;
}

const VERBS: Record<RevertStep['action'], string> = { create: 'create', write: 'rewrite', delete: 'delete' };
