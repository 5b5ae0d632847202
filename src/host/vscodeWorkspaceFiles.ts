import * as vscode from 'vscode';
import type { ResolvedPath, WorkspaceFiles } from '../core/ports';
import { PathPolicy, PathRefusedError, type LinkApproval, type PathAction } from '../core/security/pathPolicy';
import { workspacePathProblem } from '../core/security/workspacePath';
import { NodePathInspector } from '../node/nodePathInspector';
import { LinkApprovalNotification } from './linkApprovalNotification';

/**
 * The WorkspaceFiles port on VS Code's file system API for one workspace folder, and on its open
 * documents: a file with unsaved edits in an editor reports them, so nothing overwrites work the
 * person has not saved. Every path goes through the same path policy as the command line's (on
 * the disk, with node:fs): a folder on another file system (a virtual or remote scheme) can be read
 * but never written, because there Baton cannot tell where a link leads.
 */
export class VsCodeWorkspaceFiles implements WorkspaceFiles {
  private readonly policy: PathPolicy | undefined;
  /** Where each path last resolved to, so unsaved edits count under either name. */
  private readonly realPaths = new Map<string, string>();

  constructor(
    readonly folder: vscode.Uri,
    approval: LinkApproval = new LinkApprovalNotification(),
  ) {
    this.policy = folder.scheme === 'file' ? new PathPolicy(new NodePathInspector(folder.fsPath), { approval }) : undefined;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return await vscode.workspace.fs.readFile(await this.locate(path, 'read'));
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const uri = await this.locate(path, 'write');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, bytes);
  }

  async delete(path: string): Promise<void> {
    try {
      await vscode.workspace.fs.delete(await this.locate(path, 'delete'), { useTrash: false });
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
    }
  }

  hasUnsavedChanges(path: string): boolean {
    const targets = new Set([path, this.realPaths.get(path) ?? path].map((p) => this.uriOf(p).toString()));
    return vscode.workspace.textDocuments.some((d) => d.isDirty && targets.has(d.uri.toString()));
  }

  async prepare(paths: readonly string[], action: 'write' | 'delete'): Promise<ResolvedPath[]> {
    return this.authorise(paths, action);
  }

  /** The Uri of where the path really leads, once the policy allows the action. */
  async locate(path: string, action: PathAction): Promise<vscode.Uri> {
    const [resolved] = await this.authorise([path], action);
    return this.uriOf(resolved!.realPath);
  }

  /** The Uri of a workspace path (e.g. a real path from prepare()), as it is: no policy applied. */
  uriOf(path: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, ...path.split('/'));
  }

  private async authorise(paths: readonly string[], action: PathAction): Promise<ResolvedPath[]> {
    if (!this.policy) {
      const refusals = paths.flatMap((path) => {
        const problem = workspacePathProblem(path);
        if (problem) return [{ path, reason: problem }];
        if (action !== 'read')
          return [
            {
              path,
              reason: `Baton writes only to folders on this computer's disk, where it can tell where links lead, and this folder is ${this.folder.toString()}`,
            },
          ];
        return [];
      });
      if (refusals.length > 0) throw new PathRefusedError(action, refusals);
      return paths.map((path) => ({ path, realPath: path, links: [] }));
    }
    const resolved = await this.policy.authorise(paths, action);
    for (const r of resolved) this.realPaths.set(r.path, r.realPath);
    return resolved;
  }
}
