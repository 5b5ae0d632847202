// The sidebar as the cockpit, in the packaged extension, with the mouse and the keyboard only: on a
// fresh copy of sample-workspace/ (no tasks, no approvals, the planner not set),
//   1. Roles: the planner's Choose…, vLLM, a base URL typed, its models listed from the scripted
//      server (the connection test), one picked: the Roles panel shows the address and ✓ ok.
//   2. the empty state's New Task, the task typed: the task in the tree and in .baton/tree.json;
//      then the view title's New Task (+) asks again, and Escape adds nothing.
//   3. Decompose from the node's context menu: the planner's two subtasks appear, pending.
//   4. the first subtask's inline Run: the test command's approval waits on the node in the
//      sidebar (the notification too; the sidebar's button is the one clicked); the node shows its
//      steps (maker round 1, waiting for your review) and the tree file says "review".
//   5. screenshots of the sidebar running the task: a 1600 px window and the side bar at 300 px,
//      in the dark and the light theme.
//   6. the review's Accept hunk and Apply: the node done, its tests run, ✓ in the tree.
//   7. the second subtask's Run against a server that fails the maker call: failed, with Retry.
//   8. its inline Retry: the run goes through the review to done.
//   9. Restore of the newest checkpoint in the timeline, approved in the sidebar: the file as before
//      the retried run, that node pending again, the first still done.
import fs from 'node:fs';
import path from 'node:path';
import { folderQuery } from '../vscode/codeServer.mjs';
import { check, waitFor, Workbench } from './workbench.mjs';

const FILE = 'pantry/units.py';
const TASK = 'Accept "tablespoons" and "kilograms" as unit names in pantry/units.py';
const FIRST = 'Accept "tablespoons" as a unit name';
const SECOND = 'Accept "kilograms" as a unit name';
// Its own command, so the approval is asked whatever the other flow approved.
const TEST_COMMAND = `sh -c 'echo "units: 2 passed"'`;
const DECISION_ITEM = '.statusbar-item[id*="decisionWaiting" i]';
/** Steps this flow records, for the caller's count. */
export const COCKPIT_STEPS = 9;

export async function cockpitFlow({ browser, url, runDir, root, server, shotDir, say, results }) {
  const folder = path.join(runDir, 'cockpit', 'sample-workspace'); // keeps its name: the UI shows it
  fs.cpSync(path.join(root, 'sample-workspace'), folder, { recursive: true });
  const abs = (rel) => path.join(folder, rel);
  const original = fs.readFileSync(abs(FILE), 'utf8');
  const aliases = original.split('\n').find((l) => l.startsWith('ALIASES = {'));
  check(aliases?.includes('"pieces"'), `${FILE} no longer has the ALIASES line the flow edits`);
  const afterFirst = aliases.replace('"pieces"', '"tablespoons": "tbsp", "pieces"');
  const afterSecond = afterFirst.replace('"pieces"', '"kilograms": "kg", "pieces"');

  // The maker, breaker and summariser as a person set them before; the planner is set in the sidebar.
  server.models = ['planner-model', 'maker-model', 'breaker-model', 'summariser-model'].map((id) => ({ id, max_model_len: 16000 }));
  const roles = Object.fromEntries(['maker', 'breaker', 'summariser'].map((r) => [r, { provider: 'vllm', model: `${r}-model`, baseURL: server.baseURL }]));
  fs.mkdirSync(abs('.vscode'), { recursive: true });
  // No retries: the scripted fault of step 7 fails the run at once.
  fs.writeFileSync(
    abs('.vscode/settings.json'),
    JSON.stringify({ 'baton.roles': roles, 'baton.tests.command': TEST_COMMAND, 'baton.network.maxRetries': 0 }, null, 2),
  );

  const tree = () => JSON.parse(fs.readFileSync(abs('.baton/tree.json'), 'utf8')).nodes;
  const saved = (title) => tree().find((n) => n.title === title);
  const makerAnswer = (search, replace) => [
    // Streamed slowly, so the maker's step is on screen long enough to be seen.
    { json: { summary: 'a unit name', edits: [{ kind: 'replace', path: FILE, search, replace }] }, chunkChars: 24, chunkDelayMs: 200 },
    { json: { verdict: 'pass', findings: [] } },
    { json: { filesChanged: [{ path: FILE, summary: 'a unit alias' }], decisions: [], openQuestions: [], pinnedFacts: [], summary: 'Alias added.' } },
  ];

  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const wb = new Workbench(page, { shotDir, say, results });
  await page.goto(`${url}?folder=${folderQuery(folder)}`);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
  await page.locator('.statusbar').waitFor();
  const frame = () => wb.sidebar();
  const item = async (title) => {
    const node = saved(title);
    check(node, `"${title}" is not in .baton/tree.json`);
    return (await frame()).locator(`li[data-node-id="${node.id}"]`);
  };
  /** What the tree item says of itself (its state, its step, a decision waiting), as a screen reader reads it. */
  const itemLabel = async (title) => (await (await item(title)).getAttribute('aria-label', { timeout: 2000 })) ?? '';
  const nodeAction = async (action) => (await frame()).locator(`.node-actions vscode-button[data-action="${action}"]`);
  const select = async (title) => {
    await (await item(title)).locator('.node-title').first().click();
    await waitFor(`${title} selected`, async () => (await (await item(title)).getAttribute('aria-selected')) === 'true');
  };
  /** Accepts the one hunk of the open review and applies it. */
  const acceptAndApply = async () => {
    await waitFor('the proposal in a diff editor', async () => (await wb.lens('Accept hunk').count()) > 0, 60000);
    await wb.lens('Accept hunk').first().click();
    await waitFor('the hunk accepted', async () => (await wb.lensLabel('Hunk 1 of 1: ✓ accepted').count()) > 0);
    await wb.applyAccepted();
  };

  await wb.step('Roles: Choose… for the planner, a base URL typed, its models listed, one picked; the panel shows the address and ✓', async () => {
    // Baton's icon in the activity bar, as a person opens it.
    await page.locator('.part.activitybar .action-item a.action-label[aria-label^="Baton"]').first().click();
    const choose = (await frame()).locator('li[data-role="planner"] vscode-button[data-action="select-model"]');
    await choose.waitFor({ timeout: 30000 });
    check(/planner\s*not set/.test(await wb.sidebarText()), 'the planner is set already');
    await choose.click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'vLLM' }).first().click({ timeout: 20000 });
    await page.locator('.quick-input-widget', { hasText: 'vLLM base URL for the planner' }).waitFor({ timeout: 20000 });
    const input = page.locator('.quick-input-widget input');
    await input.press('ControlOrMeta+a');
    await page.keyboard.type('not a url');
    await page.locator('.quick-input-widget', { hasText: 'is not a URL' }).waitFor({ timeout: 10000 });
    await input.press('ControlOrMeta+a');
    await page.keyboard.type(server.baseURL);
    await input.press('Enter');
    // The connection test: the server's models, listed from its /v1/models.
    const picker = page.locator('.quick-input-widget', { hasText: `connected: 4 models at ${server.baseURL}` });
    await picker.waitFor({ timeout: 30000 });
    check(
      server.requests.some((r) => r.method === 'GET' && r.path === '/v1/models'),
      'the models were not listed from /v1/models',
    );
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'planner-model' }).first().click();
    const written = await waitFor(
      'baton.roles.planner in the workspace settings',
      async () => JSON.parse(fs.readFileSync(abs('.vscode/settings.json'), 'utf8'))['baton.roles']?.planner,
    );
    check(
      JSON.stringify(written) === JSON.stringify({ provider: 'vllm', model: 'planner-model', baseURL: server.baseURL }),
      `baton.roles.planner is ${JSON.stringify(written)}`,
    );
    const url = server.baseURL.replaceAll('.', '\\.');
    await wb.sidebarShows('the planner in the Roles panel', (t) =>
      new RegExp(`planner\\s*vllm / planner-model\\s*${url}\\s*✓ ok: connected: 4 models listed`).test(t),
    );
    // Test on a role set in the settings: its address's models listed, the role marked by what came back.
    const test = async (role) => (await frame()).locator(`li[data-role="${role}"] vscode-button[data-action="test-connection"]`).click();
    check(!/maker\s*vllm \/ maker-model\s*\S+\s*[✓✗]/.test(await wb.sidebarText()), 'the maker has a mark before any call or test');
    await test('maker');
    await wb.sidebarShows('the maker tested', (t) => new RegExp(`maker\\s*vllm / maker-model\\s*${url}\\s*✓ ok: connected: 4 models listed`).test(t));
    const all = server.models;
    server.models = all.filter((m) => m.id !== 'summariser-model');
    await test('summariser');
    await wb.sidebarShows('the summariser tested against a server without its model', (t) =>
      /summariser\s*vllm \/ summariser-model\s*\S+\s*✗ failing: connected, but summariser-model is not among the 3 models listed/.test(t),
    );
    server.models = all;
    await wb.shot('10-roles.png', await wb.sideBarClip());
  });

  let rootId = null;
  await wb.step("the empty state's New Task, the task typed: the task in the tree and in .baton/tree.json", async () => {
    await wb.sidebarShows('the empty state', (t) => /No tasks yet in sample-workspace\. State one/.test(t));
    await (await frame()).locator('vscode-button[data-action="new-task"]').click();
    await page.locator('.quick-input-widget', { hasText: 'What should be done in sample-workspace?' }).waitFor({ timeout: 20000 });
    await page.keyboard.type(TASK);
    await page.keyboard.press('Enter');
    rootId = (await waitFor('the task in .baton/tree.json', async () => tree().find((n) => n.parentId === null && n.goal === TASK))).id;
    const shown = await wb.sidebarShows('the task in the tree', (t) => t.includes(TASK.slice(0, 60)) && !/No tasks yet/.test(t));
    check(/delegate/.test(shown), 'the task shows no delegate badge');
    // With a task, New Task is the view title's (+): it asks again, and Escape adds nothing.
    await page.locator('.part.sidebar .title-actions .action-label[aria-label^="New Task"]').click();
    await page.locator('.quick-input-widget', { hasText: 'What should be done in sample-workspace?' }).waitFor({ timeout: 20000 });
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    check(tree().length === 1, `Escape in New Task changed the tree: ${tree().length} nodes`);
  });

  await wb.step("Decompose from the node's context menu: the planner's two subtasks appear under it, pending", async () => {
    check(rootId, 'no task to decompose');
    server.enqueue({
      json: {
        subtasks: [
          {
            title: FIRST,
            goal: 'lookup("tablespoons") is tbsp',
            acceptance: ['lookup("tablespoons") is tbsp'],
            likelyFiles: [FILE],
            budgetShare: 1,
            dependsOn: [],
            mode: 'delegate',
          },
          {
            title: SECOND,
            goal: 'lookup("kilograms") is kg',
            acceptance: ['lookup("kilograms") is kg'],
            likelyFiles: [FILE],
            budgetShare: 1,
            dependsOn: [],
            mode: 'delegate',
          },
        ],
      },
    });
    const rootItem = (await frame()).locator(`li[data-node-id="${rootId}"] > .node-row .node-title`);
    await rootItem.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 20000 });
    const entries = await menu.innerText();
    check(entries.includes('Run Subtask') && !entries.includes('Retry'), `the pending task's menu: ${entries}`);
    // The pointer on the entry first (it takes the focus, as under a person's hand), then the click.
    await menu.locator('.action-item', { hasText: 'Decompose Task into Subtasks' }).hover();
    await menu.locator('.action-item.focused', { hasText: 'Decompose Task into Subtasks' }).waitFor({ timeout: 10000 });
    await menu.locator('.action-item', { hasText: 'Decompose Task into Subtasks' }).click();
    // On a loaded machine a click that lands while the menu is still settling can go unheard: the
    // entry is focused by then, so Enter picks it, as a person would press it.
    if (
      !(await menu.waitFor({ state: 'hidden', timeout: 3000 }).then(
        () => true,
        () => false,
      ))
    ) {
      say('the menu is still open after the click: Enter on its focused entry');
      await page.keyboard.press('Enter');
    }
    await menu.waitFor({ state: 'hidden', timeout: 10000 });
    await waitFor('two subtasks in .baton/tree.json', async () => tree().filter((n) => n.parentId === rootId).length === 2, 60000);
    check(
      server.requests.some((r) => r.body?.model === 'planner-model'),
      'the planner picked in the Roles panel was not asked',
    );
    for (const title of [FIRST, SECOND]) {
      await waitFor(`${title} in the tree, pending`, async () => /, pending, delegated/.test(await itemLabel(title)));
      check(saved(title)?.state === 'pending', `${title} is ${saved(title)?.state} in tree.json`);
    }
  });

  const stepsSeen = new Set();
  await wb.step("Run from the subtask's inline action: the test command approved in the sidebar; the node shows its steps", async () => {
    server.enqueue(...makerAnswer(aliases, afterFirst));
    await select(FIRST);
    await (await nodeAction('run')).click();
    const decision = (await frame()).locator('section.decision', { hasText: 'Baton will run' });
    await decision.waitFor({ timeout: 30000 });
    const asked = await decision.innerText();
    check(/Run the test command\?/i.test(asked) && asked.includes(FIRST) && asked.includes(TEST_COMMAND), `the decision in the sidebar: ${asked}`);
    await waitFor('the node marked as waiting', async () => /a decision is waiting/.test(await itemLabel(FIRST)));
    check((await (await nodeAction('run')).count()) === 0, 'the node offers Run again while its run waits for the approval');
    await (await frame()).locator(`li[data-node-id="${saved(FIRST)?.id}"] > .node-row .node-title`).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 20000 });
    const entries = await menu.innerText();
    check(!/Run Subtask|Retry|Decompose/.test(entries), `the node's menu offers a second run while its approval waits: ${entries}`);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden', timeout: 10000 });
    await waitFor('the status bar saying a decision waits', async () => /decision/i.test(await page.locator(DECISION_ITEM).first().innerText()));
    // The same question is a notification too; the person answers in the sidebar instead.
    await wb.notification('Baton will run').first().waitFor({ timeout: 10000 });
    await wb.shot('11-approval-in-sidebar.png', await wb.sideBarClip());
    await decision.locator('vscode-button[data-choice="Run It"]').click();
    await waitFor(
      'the run waiting for the review',
      async () => {
        const label = await itemLabel(FIRST);
        const step = label.match(/, running, ([^,]+),/)?.[1];
        if (step) stepsSeen.add(step);
        return /waiting for your review/.test(label) && (await page.locator('.monaco-diff-editor').count()) > 0;
      },
      90000,
    );
    say(`steps seen on the node: ${[...stepsSeen].join(' → ')}`);
    check(stepsSeen.has('maker round 1'), `the node never showed its maker step: ${[...stepsSeen].join(', ')}`);
    const text = await wb.sidebarText();
    check(/Running: Accept "tablespoons" as a unit name\s*Step: waiting for your review/.test(text), 'the running section does not say the step');
    check(!/Waiting for you: Run the test command/i.test(text), 'the answered decision is still in the sidebar');
    await waitFor('tree.json saying the node waits for its review', async () => saved(FIRST)?.state === 'review', 10000);
    check(fs.readFileSync(abs(FILE), 'utf8') === original, 'the file changed before the review');
  });

  await wb.step('screenshots of the sidebar running the task: 1600 px window and 300 px side bar, dark and light', async () => {
    check((await page.locator('.monaco-diff-editor').count()) > 0, 'no review open');
    await page.keyboard.press('Escape'); // leaves toasts for the notification centre
    await wb.colorTheme('Dark Modern', 'dark');
    await wb.dragSideBarTo(440);
    await wb.shot('12-running-1600-dark.png');
    await wb.dragSideBarTo(300);
    await wb.shot('13-running-300-dark.png', await wb.sideBarClip());
    await wb.colorTheme('Light Modern', 'light');
    await wb.shot('14-running-300-light.png', await wb.sideBarClip());
    await wb.dragSideBarTo(440);
    await wb.shot('15-running-1600-light.png');
  });

  await wb.step('the review accepted and applied: the node done, its tests run, ✓ in the tree', async () => {
    await acceptAndApply();
    await waitFor(`${FILE} with the first change`, async () => fs.readFileSync(abs(FILE), 'utf8') === original.replace(aliases, afterFirst));
    const node = await waitFor(`${FIRST} done in tree.json`, async () => (saved(FIRST)?.state === 'done' ? saved(FIRST) : null), 60000);
    check(/units: 2 passed/.test(node.notes ?? ''), `the approved test command did not run: ${node.notes}`);
    await waitFor('the node done in the tree', async () => /, done, delegated/.test(await itemLabel(FIRST)), 30000);
    check(server.pendingSteps === 0, `${server.pendingSteps} scripted answers were not asked for`);
  });

  await wb.step('a run the server fails: the node failed in the tree, with Retry and no Run', async () => {
    server.enqueue({ status: 500, errorMessage: 'the scripted server fails this call' });
    await select(SECOND);
    await (await nodeAction('run')).click();
    await waitFor(`${SECOND} failed in tree.json`, async () => saved(SECOND)?.state === 'failed', 60000);
    await waitFor('the node failed in the tree', async () => /, failed, delegated/.test(await itemLabel(SECOND)), 30000);
    await (await nodeAction('retry')).waitFor({ timeout: 10000 });
    check((await (await nodeAction('run')).count()) === 0, 'a failed node still offers Run');
    check(fs.readFileSync(abs(FILE), 'utf8') === original.replace(aliases, afterFirst), 'the failed run changed the file');
  });

  await wb.step('Retry in the sidebar runs it again: through the review to done', async () => {
    server.enqueue(...makerAnswer(afterFirst, afterSecond));
    await (await nodeAction('retry')).click();
    await waitFor('the retried run waiting for the review', async () => /waiting for your review/.test(await itemLabel(SECOND)), 90000);
    await acceptAndApply();
    await waitFor(`${FILE} with both changes`, async () => fs.readFileSync(abs(FILE), 'utf8') === original.replace(aliases, afterSecond));
    await waitFor(`${SECOND} done in tree.json`, async () => saved(SECOND)?.state === 'done', 60000);
    await waitFor('the node done in the tree', async () => /, done, delegated/.test(await itemLabel(SECOND)), 30000);
  });

  await wb.step('Restore of the newest checkpoint in the timeline, approved in the sidebar: the file as before, the node pending again', async () => {
    const f = await frame();
    const newest = f.locator('li[data-checkpoint-id]').first();
    await waitFor("the retried run's checkpoint first in the timeline", async () => (await newest.innerText()).includes(SECOND));
    await newest.locator('vscode-button[data-action="restore"]').click();
    const decision = f.locator('section.decision', { hasText: 'restore to before' });
    await decision.waitFor({ timeout: 30000 });
    await decision.locator('vscode-button[data-choice="Restore"]').click();
    await waitFor(`${FILE} as before the retried run`, async () => fs.readFileSync(abs(FILE), 'utf8') === original.replace(aliases, afterFirst));
    await waitFor(`${SECOND} pending in tree.json`, async () => saved(SECOND)?.state === 'pending');
    check(saved(FIRST)?.state === 'done', `${FIRST} is ${saved(FIRST)?.state} after restoring the other node's step`);
    await waitFor('the node pending in the tree', async () => /, pending, delegated/.test(await itemLabel(SECOND)), 30000);
    await waitFor('Run offered again', async () => {
      await select(SECOND);
      return (await (await nodeAction('run')).count()) > 0;
    });
    await wb.shot('16-restored.png', await wb.sideBarClip());
  });

  await page.close();
}
