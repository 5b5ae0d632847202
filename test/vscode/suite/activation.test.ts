// What activation costs, in the real extension host: activating Baton loads extension.js and the
// chunks it requires at once (dist/chunks.json, written by the build), no more; opening the sidebar
// loads the services (services.js and what it requires at once); the plan and run commands load with
// the first plan, and the context engine (planner.js) never loads in the host at all: it runs in its
// worker thread. This file runs first (the suite runs its files in name order), before any other
// test has opened the sidebar or planned anything.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/host/commandIds';
import type { BatonExtensionApi } from '../../../src/host/extension';
import { hasRunner, waitFor, webviewText } from './runner';

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

/** The files and what they require at once, by the build's chunk graph. */
function requiredAtOnce(...from: string[]): Set<string> {
  const chunks = new Map((JSON.parse(fs.readFileSync(path.join(distDir(), 'chunks.json'), 'utf8')) as Chunk[]).map((c) => [c.file, c]));
  const files = new Set<string>();
  for (const stack = [...from]; stack.length;) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    stack.push(...(chunks.get(file)?.imports ?? []));
  }
  return files;
}

const bytesOf = (files: Iterable<string>): number => [...files].reduce((sum, f) => sum + fs.statSync(path.join(distDir(), f)).size, 0);

suite('Activation', () => {
  test('activation loads extension.js alone; the sidebar loads the services, the first plan the commands, and the engine only in its worker', async () => {
    const extension = vscode.extensions.getExtension<BatonExtensionApi>(EXTENSION_ID)!;
    await extension.activate();
    const atActivation = loadedFromDist();
    assert.deepEqual([...atActivation].sort(), [...requiredAtOnce('extension.js')].sort(), 'activation loaded more than extension.js and what it requires');
    assert.ok(!atActivation.has('services.js'), 'activation loaded the services before anything used them');
    assert.ok(bytesOf(atActivation) < 32 * 1024, `activation parsed ${bytesOf(atActivation)} bytes (${[...atActivation].join(', ')}): over 32 KB`);

    await vscode.commands.executeCommand('workbench.view.extension.baton');
    await waitFor('the sidebar to load the services', () => loadedFromDist().has('services.js') || null, 30000);
    // The view itself resolved on the services (not only their module loaded): it shows the folder's state.
    if (hasRunner()) assert.ok((await webviewText('No tasks yet in', 30000)).text, 'the sidebar opened but never showed the workspace state');
    // The sidebar's own load (the task tree and the checkpoint timeline), finished.
    await vscode.commands.executeCommand(COMMANDS.refreshSidebar);
    const withSidebar = loadedFromDist();
    assert.deepEqual(
      [...withSidebar].sort(),
      [...requiredAtOnce('extension.js', 'services.js')].sort(),
      'the sidebar loaded other files than the services and the chunks they require at once',
    );
    for (const lazy of ['engine.js', 'planner.js', 'commands.js']) assert.ok(!withSidebar.has(lazy), `${lazy} was loaded before any plan`);
    assert.ok(bytesOf(withSidebar) < 1024 * 1024, `the sidebar parsed ${bytesOf(withSidebar)} bytes (${[...withSidebar].join(', ')}): over 1 MB`);

    const plan = await vscode.commands.executeCommand<{ items: unknown[] } | undefined>(
      COMMANDS.showContextPlan,
      'Accept "tablespoons" as a unit name in pantry/units.py',
    );
    assert.ok(plan && plan.items.length > 0, 'the first plan gave no items');
    const after = loadedFromDist();
    assert.ok(after.has('commands.js'), 'the first plan ran without commands.js in the module cache');
    assert.ok(fs.existsSync(path.join(distDir(), 'planner.js')), 'the build made no planner.js (the context engine)');
    assert.ok(!after.has('planner.js'), "the context engine's code was loaded in the extension host, not only in its worker");
  });
});
