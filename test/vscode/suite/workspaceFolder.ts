// The folder the in-editor tests run in (a throw-away copy of sample-workspace/), and paths in it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NodeStateStore } from '../../../src/node/nodeAdapters';
import { TaskTreeStore } from '../../../src/core/tasks/treeStore';

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder is open');
  return f.uri;
}

export const abs = (rel: string): string => path.join(folder().fsPath, rel);

/** The folder's .baton/tree.json, read and written as Baton does. */
export const treeStore = (): TaskTreeStore => new TaskTreeStore(new NodeStateStore(abs('.baton')), { now: () => Date.now() });
