import * as vscode from 'vscode';
import { PRE_IMAGE_SCHEME } from '../documentSchemes';
import type { BatonWorkspaces } from '../state/batonWorkspaces';

// Stands for "no such file now" on the right of a comparison (checkpoint ids start with digits).
const ABSENT = 'absent';

/**
 * Read-only documents of a file as it was before a checkpoint's step, for "Compare with now".
 * Serves `baton-checkpoint:/<path>?<checkpoint id>`: the pre-image the checkpoint kept (verified
 * against its hash by the blob store), or nothing when the file did not exist before the step.
 */
export class CheckpointPreImages implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly folder: () => vscode.Uri | undefined,
    private readonly workspaces: BatonWorkspaces,
  ) {}

  static uri(path: string, checkpointId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PRE_IMAGE_SCHEME, path: `/${path}`, query: checkpointId });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const folder = this.folder();
    if (!folder) throw new Error('Baton: no workspace folder is open.');
    const path = uri.path.replace(/^\//, '');
    if (uri.query === ABSENT) return '';
    const bytes = await this.workspaces.for(folder).checkpoints.preImage(uri.query, path); // Baton's own only
    return bytes === undefined ? '' : new TextDecoder('utf-8').decode(bytes);
  }
}

/** Opens VS Code's diff editor: the file before the checkpoint's step on the left, now on the right. */
export async function compareWithNow(folder: vscode.Uri, checkpointId: string, label: string, path: string): Promise<void> {
  const current = vscode.Uri.joinPath(folder, ...path.split('/'));
  const exists = await vscode.workspace.fs.stat(current).then(
    () => true,
    () => false,
  );
  // A file deleted since has no "now" on disk: an empty pre-image document stands in for it.
  const right = exists ? current : CheckpointPreImages.uri(path, ABSENT);
  await vscode.commands.executeCommand('vscode.diff', CheckpointPreImages.uri(path, checkpointId), right, `${path} (before "${label}") ↔ now`);
}
