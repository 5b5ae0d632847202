import * as vscode from 'vscode';
import { formatJournalMarkdown } from '../../core/run/formatJournal';
import { summariseJournal } from '../../core/run/summariseJournal';
import { JOURNAL_SCHEME } from '../documentSchemes';
import type { JournalRecorder } from '../state/journalRecorder';
import { firstFolder } from '../workspaceTree';

/**
 * "Baton: Show Journal": the journal's figures (the same as `baton journal`) as a read-only
 * Markdown document of a virtual scheme, rebuilt whenever it is opened or the journal grows.
 */
export class JournalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly journal: JournalRecorder) {}

  static uriFor(folder: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: JOURNAL_SCHEME, path: '/Baton Journal.md', query: folder.toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const folder = vscode.Uri.parse(uri.query);
    const { events, unreadable } = await this.journal.store(folder).load();
    return formatJournalMarkdown(summariseJournal(events), unreadable);
  }

  refresh(folder: vscode.Uri): void {
    this.changed.fire(JournalDocuments.uriFor(folder));
  }

  /** Opens the journal; `preview: false` (an argument) keeps it as a text editor, for tests. */
  async show(options?: unknown): Promise<vscode.TextDocument | undefined> {
    const folder = firstFolder();
    if (!folder) return undefined;
    const uri = JournalDocuments.uriFor(folder);
    this.refresh(folder);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    const asText = typeof options === 'object' && options !== null && (options as { preview?: unknown }).preview === false;
    // The rendered preview reads best; without the built-in Markdown extension, the text itself.
    if (
      asText ||
      !(await vscode.commands.executeCommand('markdown.showPreview', uri).then(
        () => true,
        () => false,
      ))
    ) {
      await vscode.window.showTextDocument(document, { preview: true });
    }
    return document;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
