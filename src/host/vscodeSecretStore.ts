import type * as vscode from 'vscode';
import type { SecretStore } from '../core/ports';

/** The SecretStore port on VS Code's SecretStorage: keys never touch settings or files. */
export class VsCodeSecretStore implements SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(key));
  }

  set(key: string, value: string): Promise<void> {
    return Promise.resolve(this.secrets.store(key, value));
  }

  delete(key: string): Promise<void> {
    return Promise.resolve(this.secrets.delete(key));
  }
}
