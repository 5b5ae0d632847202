import * as vscode from 'vscode';

export const MCP_PROVIDER_ID = 'baton.contextEngine';

/**
 * Offers `baton mcp` (the bundled dist/cli.js) to VS Code's MCP support (package.json
 * `mcpServerDefinitionProviders`), serving the open workspace folders: their tools then reach any
 * chat that uses MCP servers. It runs on the editor's own Node: in desktop VS Code that is
 * Electron, which runs as plain Node with ELECTRON_RUN_AS_NODE. It keeps its index cache where the
 * extension keeps its own (never in the workspace), so it starts from the index the editor built.
 */
export function registerMcpServerDefinition(context: vscode.ExtensionContext): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  const version = (context.extension.packageJSON as { version?: string }).version;
  const storage = context.storageUri ?? context.globalStorageUri;
  const cache = storage.scheme === 'file' ? ['--index-cache', storage.fsPath] : [];
  return vscode.Disposable.from(
    changed,
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions() {
        const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
        if (!folders.length) return [];
        const args = [cli, 'mcp', ...folders.flatMap((f) => ['--repo', f.uri.fsPath]), ...cache];
        return [new vscode.McpStdioServerDefinition('Baton context engine', process.execPath, args, { ELECTRON_RUN_AS_NODE: '1' }, version)];
      },
    }),
  );
}
