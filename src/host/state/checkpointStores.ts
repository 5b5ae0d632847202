import { createHash, randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { CheckpointStore } from '../../core/checkpoints/checkpointStore';
import type { SigningKey } from '../../core/ports';
import { batonState, systemClock } from '../workspaceTree';
import { VsCodeWorkspaceFiles } from '../vscodeWorkspaceFiles';

// Baton's checkpoints of a folder, signed with that folder's key, which lives in SecretStorage
// (out of the repository's reach): only checkpoints Baton wrote here verify. Every part of the
// extension gets its store from here, so one key per folder is made once and shared.

const KEY_PREFIX = 'baton.checkpointKey.';

export class CheckpointStores {
  private readonly keys = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  for(folder: vscode.Uri): CheckpointStore {
    return new CheckpointStore({
      files: new VsCodeWorkspaceFiles(folder),
      state: batonState(folder),
      clock: systemClock,
      key: this.keyFor(folder),
      log: this.log,
    });
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
