import * as vscode from 'vscode';
import { workspacePathProblem } from '../core/checkpoints/workspacePath';
import type { WorkspaceFiles } from '../core/ports';

/**
 * The WorkspaceFiles port on VS Code's file system API for one workspace folder (local or remote),
 * and on its open documents: a file with unsaved edits in an editor reports them, so nothing
 * overwrites work the person has not saved.
 */
export class VsCodeWorkspaceFiles implements WorkspaceFiles {
  constructor(private readonly folder: vscode.Uri) {}

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return await vscode.workspace.fs.readFile(this.uri(path));
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const uri = this.uri(path);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, bytes);
  }

  async delete(path: string): Promise<void> {
    try {
      await vscode.workspace.fs.delete(this.uri(path), { useTrash: false });
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
    }
  }

  hasUnsavedChanges(path: string): boolean {
    const target = this.uri(path).toString();
    return vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.toString() === target);
  }

  private uri(path: string): vscode.Uri {
    const problem = workspacePathProblem(path);
    if (problem) throw new Error(`Refusing path "${path}": ${problem}.`);
    return vscode.Uri.joinPath(this.folder, ...path.split('/'));
  }
}
