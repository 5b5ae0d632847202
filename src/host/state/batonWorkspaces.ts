import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SigningKey } from '../../core/ports';
import { BatonWorkspace } from '../../core/workspace/batonWorkspace';
import { NodeStateStore, systemClock } from '../../node/nodeAdapters';
import { VsCodeWorkspaceFiles } from '../vscodeWorkspaceFiles';

// The owner of each workspace folder's Baton state, made once on activation: every command, the
// sidebar and the runs get the folder's tree, checkpoint, journal and preference stores here, so
// their queues are shared. Checkpoints are signed with the folder's key, which lives in
// SecretStorage (out of the repository's reach): only checkpoints Baton wrote here verify.

const KEY_PREFIX = 'baton.checkpointKey.';

export class BatonWorkspaces {
  private readonly workspaces = new Map<string, BatonWorkspace>();
  private readonly keys = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  for(folder: vscode.Uri): BatonWorkspace {
    let workspace = this.workspaces.get(folder.toString());
    if (!workspace) {
      workspace = new BatonWorkspace({
        files: new VsCodeWorkspaceFiles(folder),
        state: new NodeStateStore(join(folder.fsPath, '.baton')),
        clock: systemClock,
        key: this.keyFor(folder),
        log: this.log,
      });
      this.workspaces.set(folder.toString(), workspace);
    }
    return workspace;
  }

  private keyFor(folder: vscode.Uri): SigningKey {
    const name = `${KEY_PREFIX}${createHash('sha256').update(folder.toString()).digest('hex').slice(0, 32)}`;
    return {
      get: () => {
        let key = this.keys.get(name);
        if (!key) {
          key = this.loadOrCreate(name, folder);
          this.keys.set(name, key);
          key.catch(() => this.keys.delete(name)); // try again next time
        }
        return key;
      },
    };
  }

  private async loadOrCreate(name: string, folder: vscode.Uri): Promise<Uint8Array> {
    const stored = await this.secrets.get(name);
    if (stored) return Buffer.from(stored, 'base64');
    const key = randomBytes(32);
    await this.secrets.store(name, key.toString('base64'));
    this.log.info(`Made the key that signs Baton's checkpoints of ${folder.fsPath} (SecretStorage ${name}).`);
    return key;
  }
}
