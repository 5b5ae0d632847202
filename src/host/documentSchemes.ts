import * as vscode from 'vscode';

// Baton's read-only documents that outlive a window (VS Code restores their tabs): the journal's
// figures and a file as a checkpoint kept it. Their providers are registered at activation, so a
// restored tab resolves, and made with the services on the first document asked for.
export const JOURNAL_SCHEME = 'baton-journal';
export const PRE_IMAGE_SCHEME = 'baton-checkpoint';

export type DocumentScheme = typeof JOURNAL_SCHEME | typeof PRE_IMAGE_SCHEME;

/** Registers each scheme's provider; `providers()` makes them on the first document asked for. */
export function registerDocumentsOnFirstUse(providers: () => Promise<Record<DocumentScheme, vscode.TextDocumentContentProvider>>): vscode.Disposable {
  return vscode.Disposable.from(
    ...([JOURNAL_SCHEME, PRE_IMAGE_SCHEME] as const).map((scheme) => {
      const changed = new vscode.EventEmitter<vscode.Uri>();
      let forwarding: vscode.Disposable | undefined;
      const provider = async (): Promise<vscode.TextDocumentContentProvider> => {
        const made = (await providers())[scheme];
        forwarding ??= made.onDidChange?.((uri) => changed.fire(uri));
        return made;
      };
      return vscode.Disposable.from(
        changed,
        { dispose: () => forwarding?.dispose() },
        vscode.workspace.registerTextDocumentContentProvider(scheme, {
          onDidChange: changed.event,
          provideTextDocumentContent: async (uri, token) => (await provider()).provideTextDocumentContent(uri, token),
        }),
      );
    }),
  );
}
