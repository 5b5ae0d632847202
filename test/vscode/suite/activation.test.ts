// What activation costs, in the real extension host: opening the Baton sidebar loads extension.js
// and only the chunks it requires at once (dist/chunks.json, written by the build); the plan and run
// commands load with the first plan, and the context engine (planner.js) never loads in the host at
// all: it runs in its worker thread. This file runs first (the suite runs its files in name order),
// before any other test has planned anything.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './runner';

interface Chunk {
  file: string;
  imports: string[];
}

const EXTENSION_ID = 'baton-dev.baton';

function distDir(): string {
  return path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist');
}

/** Baton's files in this extension host's module cache. */
function loadedFromDist(): Set<string> {
  const dist = distDir() + path.sep;
  return new Set(
    Object.keys(require.cache)
      .filter((f) => f.startsWith(dist))
      .map((f) => f.slice(dist.length)),
  );
}

/** extension.js and what it requires at once, by the build's chunk graph. */
function requiredAtOnce(): Set<string> {
  const chunks = new Map((JSON.parse(fs.readFileSync(path.join(distDir(), 'chunks.json'), 'utf8')) as Chunk[]).map((c) => [c.file, c]));
  const files = new Set<string>();
  for (const stack = ['extension.js']; stack.length;) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    stack.push(...(chunks.get(file)?.imports ?? []));
  }
  return files;
}

suite('Activation', () => {
  test('the sidebar opens without loading the engine; the first plan loads the commands, and the engine only in its worker', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await vscode.commands.executeCommand('workbench.view.extension.baton');
    await waitFor('Baton to activate from its sidebar', () => extension.isActive || null, 30000);
    // The sidebar's own load (the task tree and the checkpoint timeline), finished.
    await vscode.commands.executeCommand('baton.sidebar.refresh');

    const atOnce = requiredAtOnce();
    const loaded = loadedFromDist();
    assert.deepEqual(
      [...loaded].sort(),
      [...atOnce].sort(),
      'activation and the sidebar loaded other files than extension.js and the chunks it requires at once',
    );
    for (const lazy of ['engine.js', 'planner.js', 'commands.js']) assert.ok(!loaded.has(lazy), `${lazy} was loaded before any plan`);
    const bytes = [...loaded].reduce((sum, f) => sum + fs.statSync(path.join(distDir(), f)).size, 0);
    assert.ok(bytes < 1024 * 1024, `activation parsed ${bytes} bytes (${[...loaded].join(', ')}): over 1 MB`);

    const plan = await vscode.commands.executeCommand<{ items: unknown[] } | undefined>(
      'baton.showContextPlan',
      'Accept "tablespoons" as a unit name in pantry/units.py',
    );
    assert.ok(plan && plan.items.length > 0, 'the first plan gave no items');
    const after = loadedFromDist();
    assert.ok(after.has('commands.js'), 'the first plan ran without commands.js in the module cache');
    assert.ok(fs.existsSync(path.join(distDir(), 'planner.js')), 'the build made no planner.js (the context engine)');
    assert.ok(!after.has('planner.js'), "the context engine's code was loaded in the extension host, not only in its worker");
  });
});
