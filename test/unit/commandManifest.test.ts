// package.json names Baton's commands for VS Code (palette entries, menus, keybindings, walkthrough
// links); src/host/commandIds.ts names them for the code, and the command table's type gives each of
// those ids exactly one handler. A command the manifest offers with no handler fails when the person
// picks it; a handler the manifest never offers is dead. This holds the two lists together.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, SIDEBAR_VIEW_ID } from '../../src/host/commandIds';
import { NODE_ACTION_COMMANDS } from '../../src/host/sidebar/nodeActionCommands';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const ids: string[] = Object.values(COMMANDS);

interface Reference {
  id: string;
  where: string;
}

/** Every `command:` link in Markdown-ish text (walkthrough steps, view welcome content). */
function links(text: string, where: string): Reference[] {
  return [...text.matchAll(/\(command:([\w.-]+)/g)].flatMap((m) => (m[1] ? [{ id: m[1], where }] : []));
}

/** Everywhere the manifest names a command besides contributes.commands. */
function references(): Reference[] {
  const found: Reference[] = [];
  for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command?: string; alt?: string }[]>)) {
    for (const item of items) {
      if (item.command) found.push({ id: item.command, where: `menus.${menu}` });
      if (item.alt) found.push({ id: item.alt, where: `menus.${menu} (alt)` });
    }
  }
  for (const key of contributes.keybindings ?? []) found.push({ id: key.command, where: `keybindings ${key.key}` });
  for (const walkthrough of contributes.walkthroughs ?? []) {
    for (const step of walkthrough.steps) {
      found.push(...links(step.description, `walkthrough step ${step.id}`));
      for (const event of step.completionEvents ?? []) {
        if (event.startsWith('onCommand:')) found.push({ id: event.slice('onCommand:'.length), where: `walkthrough step ${step.id} completionEvents` });
      }
    }
  }
  for (const welcome of contributes.viewsWelcome ?? []) found.push(...links(welcome.contents, `viewsWelcome ${welcome.view}`));
  for (const event of manifest.activationEvents ?? []) {
    if (event.startsWith('onCommand:')) found.push({ id: event.slice('onCommand:'.length), where: 'activationEvents' });
  }
  const media = join(root, 'media', 'walkthrough');
  for (const file of readdirSync(media).filter((f) => f.endsWith('.md')))
    found.push(...links(readFileSync(join(media, file), 'utf8'), `media/walkthrough/${file}`));
  return found;
}

describe('package.json and the command table name the same commands', () => {
  it('every contributed command has a handler, and every handler is contributed', () => {
    const contributed: string[] = contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(
      contributed.filter((id) => !ids.includes(id)),
      [],
      'in package.json contributes.commands but not in COMMANDS (src/host/commandIds.ts), so nothing handles it',
    );
    assert.deepEqual(
      ids.filter((id) => !contributed.includes(id)),
      [],
      'in COMMANDS but not in package.json contributes.commands: contribute it (with a commandPalette `when`) or remove its handler',
    );
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  });

  it('each id belongs to one handler', () => {
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    assert.deepEqual(twice, [], 'two COMMANDS keys share an id: the table would keep only one of their handlers');
    for (const id of ids) assert.match(id, /^baton\.[\w.]+$/, `${id} is not in Baton's namespace`);
  });

  it("every menu, keybinding, walkthrough link and completion event names one of Baton's commands", () => {
    const found = references();
    assert.ok(
      found.some((r) => r.where.startsWith('walkthrough')),
      'found no walkthrough links: the manifest reader is broken',
    );
    const unknown = found.filter((r) => !ids.includes(r.id)).map((r) => `${r.id} (${r.where})`);
    assert.deepEqual(unknown, [], 'the manifest points at commands nothing handles');
  });

  it("a task node's context menu offers the commands its sidebar buttons run", () => {
    const nodeMenu: string[] = contributes.menus['webview/context']
      .filter((item: { when: string }) => item.when.includes(`webviewId == '${SIDEBAR_VIEW_ID}'`) && item.when.includes("webviewSection == 'taskNode'"))
      .map((item: { command: string }) => item.command);
    assert.deepEqual([...nodeMenu].sort(), [...new Set(Object.values(NODE_ACTION_COMMANDS))].sort());
  });

  it('the sidebar view is the one the code registers', () => {
    const views = Object.values(contributes.views as Record<string, { id: string; type?: string }[]>).flat();
    assert.ok(
      views.some((v) => v.id === SIDEBAR_VIEW_ID && v.type === 'webview'),
      `no webview view ${SIDEBAR_VIEW_ID} in contributes.views`,
    );
  });
});
