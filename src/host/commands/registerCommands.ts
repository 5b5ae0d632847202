import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { CommandTable } from './commandTable';

/**
 * Registers every command at activation, the one place Baton registers commands (a lint rule keeps
 * it so). The table of handlers, and all they import, is made on the first command run.
 */
export function registerCommands(table: () => Promise<CommandTable>): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.values(COMMANDS).map((id) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => ((await table())[id] as (...a: unknown[]) => unknown)(...args)),
    ),
  );
}
