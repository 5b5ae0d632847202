// Reviewing a proposal in a real VS Code: it opens as a diff of read-only virtual documents with a
// CodeLens per hunk and the breaker's findings as diagnostics; the accepted hunks land on disk byte
// for byte (CRLF kept, a new file created) through one WorkspaceEdit after a checkpoint; Undo and
// the checkpoint each give the original bytes back; a file that moved on since the proposal
// refuses the whole apply, naming it, and writes nothing.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NodeStateStore } from '../../../src/node/nodeAdapters';
import { CheckpointStore } from '../../../src/core/checkpoints/checkpointStore';
import { applyHunks, diffHunks } from '../../../src/core/proposals/hunks';
import { ChangedSinceProposalError, type FileDecision, type Proposal, type Review } from '../../../src/core/proposals/types';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import { acceptedChanges, applyWithCheckpoint, type ApplyReviewedOutcome } from '../../../src/host/review/applyReviewed';
import { WorkspaceEditApplier } from '../../../src/host/review/editApplier';
import { VsCodeWorkspaceFiles } from '../../../src/host/vscodeWorkspaceFiles';
import { testSigningKey } from '../../support/checkpointFixtures';
import { hasRunner, notification, screenshot, sleep, uiClick, waitFor } from './runner';
import { folder } from './workspaceFolder';

const EDITED = 'pantry/units.py'; // an existing file of the sample workspace: two separate changes
const CRLF = 'pantry/review_crlf_probe.py'; // written by the suite with CRLF line endings
const CREATED = 'pantry/review_new_module.py'; // created by the proposal
const CRLF_BEFORE = 'VALUE = 1\r\n# café ✓\r\nNAME = "pantry"\r\n';

const onDisk = (rel: string): string => path.join(folder().fsPath, rel);
const bytesOf = (rel: string): Uint8Array | undefined => (fs.existsSync(onDisk(rel)) ? new Uint8Array(fs.readFileSync(onDisk(rel))) : undefined);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const sha256 = (bytes: Uint8Array | undefined): string => (bytes ? createHash('sha256').update(bytes).digest('hex') : '');

let counter = 0;

/** A proposal made from what is on disk now, as the maker's answer would be resolved. */
function makeProposal(): Proposal {
  const unitsBefore = fs.readFileSync(onDisk(EDITED), 'utf8');
  const unitsAfter = unitsBefore
    .replace('        Unit("kg", "mass", 1000.0),\n', '        Unit("kg", "mass", 1000.0),\n        Unit("mg", "mass", 0.001),\n')
    .replace('"pieces": "piece"}', '"pieces": "piece", "tbsp.": "tbsp", "c.": "cup"}');
  assert.notEqual(unitsAfter, unitsBefore, 'the sample workspace changed: the proposal no longer applies to it');
  const crlfBefore = fs.readFileSync(onDisk(CRLF), 'utf8');
  counter += 1;
  return {
    id: `review-test-${counter}`,
    nodeId: 'n-review',
    round: 1,
    summary: 'dotted unit abbreviations',
    changes: [
      { path: EDITED, before: unitsBefore, after: unitsAfter, baseHash: sha256(bytesOf(EDITED)) },
      { path: CRLF, before: crlfBefore, after: crlfBefore.replace('VALUE = 1', 'VALUE = 2'), baseHash: sha256(bytesOf(CRLF)) },
      { path: CREATED, before: undefined, after: 'def new_helper():\n    return 42\n', baseHash: '' },
    ],
  };
}

const BREAKER: Review = {
  verdict: 'fail',
  findings: [
    { file: EDITED, line: 18, severity: 'critical', problem: 'mg has no alias.', edgeCase: '"5 milligrams sugar"' },
    { file: EDITED, line: 28, severity: 'minor', problem: 'The dotted alias is case-sensitive.', edgeCase: '"1 C. flour"' },
  ],
};

let services: BatonServices;

function diffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .map((tab) => tab.input)
    .filter((input): input is vscode.TabInputTextDiff => input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'baton-proposal');
}

/** Starts a review and waits until its diff is on screen (the decisions come later, wrapped so await does not wait for them). */
async function startReview(proposal: Proposal, review?: Review, signal?: AbortSignal): Promise<{ decided: Promise<FileDecision[] | 'reject'> }> {
  const decided = services.diffReview.review(proposal, review, signal);
  await waitFor("the proposal's diff tab", () => diffTabs().some((t) => t.modified.query.includes(proposal.id)));
  return { decided };
}

function checkpointStore(): CheckpointStore {
  const state = new NodeStateStore(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-review-state-')));
  return new CheckpointStore({ files: new VsCodeWorkspaceFiles(folder()), state, clock: { now: () => Date.now() }, key: testSigningKey });
}

function applyReviewed(proposal: Proposal, decisions: FileDecision[], store: CheckpointStore, offer?: () => Promise<boolean>): Promise<ApplyReviewedOutcome> {
  return applyWithCheckpoint(proposal, decisions, {
    store,
    applier: new WorkspaceEditApplier(new VsCodeWorkspaceFiles(folder())),
    nodeId: proposal.nodeId,
    files: new VsCodeWorkspaceFiles(folder()),
    ...(offer ? { offerFreshProposal: offer } : {}),
  });
}

/** Accept hunk 0 and reject hunk 1 of the edited file, accept the other files, apply. */
async function decideAndApply(proposal: Proposal): Promise<FileDecision[]> {
  const { decided } = await startReview(proposal);
  await vscode.commands.executeCommand('baton.review.acceptHunk', EDITED, 0);
  await vscode.commands.executeCommand('baton.review.rejectHunk', EDITED, 1);
  await vscode.commands.executeCommand('baton.review.acceptFile', CRLF);
  await vscode.commands.executeCommand('baton.review.acceptFile', CREATED);
  await vscode.commands.executeCommand('baton.review.apply');
  const decisions = await decided;
  assert.notEqual(decisions, 'reject');
  return decisions as FileDecision[];
}

suite('diff review of a proposal', () => {
  let unitsOriginal: Uint8Array;

  suiteSetup(async () => {
    services = await batonServices();
    unitsOriginal = bytesOf(EDITED)!;
  });

  setup(async () => {
    fs.writeFileSync(onDisk(CRLF), CRLF_BEFORE);
    fs.rmSync(onDisk(CREATED), { force: true });
    fs.writeFileSync(onDisk(EDITED), unitsOriginal);
  });

  teardown(async () => {
    // A failed test may leave its review open; rejecting ends it so the next one can start.
    if (services.diffReview.current) await vscode.commands.executeCommand('baton.review.rejectAll');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the proposal opens as a diff of read-only proposal documents, with a CodeLens per hunk and the findings as diagnostics (screenshot)', async () => {
    const proposal = makeProposal();
    const { decided } = await startReview(proposal, BREAKER);

    const tab = diffTabs().find((t) => t.modified.query.includes(proposal.id));
    assert.ok(tab, 'a diff tab whose sides are baton-proposal documents');
    assert.equal(tab.original.scheme, 'baton-proposal');
    assert.equal(tab.modified.path, `/${EDITED}`);
    const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '';
    assert.match(label, /units\.py \(Baton proposal, round 1\)/);
    const [original, proposed] = await Promise.all([vscode.workspace.openTextDocument(tab.original), vscode.workspace.openTextDocument(tab.modified)]);
    assert.equal(original.getText(), proposal.changes[0]!.before);
    assert.equal(proposed.getText(), proposal.changes[0]!.after);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tab.modified);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.equal(titles.filter((t) => t.includes('Accept hunk')).length, 2, `one "Accept hunk" per hunk; saw ${JSON.stringify(titles)}`);
    assert.ok(
      titles.some((t) => t.includes('Hunk 2 of 2: ○ undecided')),
      `hunks start undecided; saw ${JSON.stringify(titles)}`,
    );
    await vscode.commands.executeCommand('baton.review.acceptHunk', EDITED, 0);
    await vscode.commands.executeCommand('baton.review.rejectHunk', EDITED, 1);
    const after = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tab.modified)).map((l) => l.command?.title ?? '');
    // Lens text is one colour: an accepted and a rejected hunk differ by their mark, not by an icon's colour.
    assert.ok(
      after.some((t) => t.includes('Hunk 1 of 2: ✓ accepted')),
      `the lens shows the decision; saw ${JSON.stringify(after)}`,
    );
    assert.ok(
      after.some((t) => t.includes('Hunk 2 of 2: ✕ rejected')),
      `a rejected hunk has its own mark; saw ${JSON.stringify(after)}`,
    );

    const diagnostics = vscode.languages.getDiagnostics(tab.modified);
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.severity, d.message]),
      [
        [17, vscode.DiagnosticSeverity.Error, 'mg has no alias. Edge case: "5 milligrams sugar"'],
        [27, vscode.DiagnosticSeverity.Information, 'The dotted alias is case-sensitive. Edge case: "1 C. flour"'],
      ],
    );

    if (hasRunner()) {
      await sleep(1500); // CodeLenses and squiggles render after the diff is computed
      const file = await screenshot('baton-diff-review');
      assert.ok(fs.statSync(file).size > 10000, `${file} looks empty`);
    }

    await vscode.commands.executeCommand('baton.review.rejectAll');
    assert.equal(await decided, 'reject');
    assert.deepEqual(bytesOf(EDITED), unitsOriginal, 'rejecting the node writes nothing');
    assert.equal(bytesOf(CREATED), undefined);
    assert.equal(vscode.languages.getDiagnostics(tab.modified).length, 0, 'the findings go with the review');
    await waitFor("the review's tabs to close", () => diffTabs().length === 0);
  });

  test("the person can move between the proposal's files and decide one from the editor title", async () => {
    const proposal = makeProposal();
    const { decided } = await startReview(proposal);
    await vscode.commands.executeCommand('baton.review.showFile', CRLF);
    await waitFor("the CRLF file's diff", () => diffTabs().some((t) => t.modified.path === `/${CRLF}`));
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('baton.review.showFile', 'pantry/elsewhere.py')), /not part of the proposal/);
    // The editor title's buttons pass the proposed document's URI; undecided hunks stay out when apply skips the question.
    const crlfTab = diffTabs().find((t) => t.modified.path === `/${CRLF}`)!;
    await vscode.commands.executeCommand('baton.review.acceptFile', crlfTab.modified);
    await vscode.commands.executeCommand('baton.review.apply', { confirmUndecided: false });
    assert.deepEqual(await decided, [
      { path: EDITED, acceptedHunks: [] },
      { path: CRLF, acceptedHunks: [0] },
      { path: CREATED, acceptedHunks: [] },
    ]);
  });

  test('accepting one hunk and rejecting another leaves exactly the expected bytes; Undo returns the original bytes', async () => {
    const proposal = makeProposal();
    const decisions = await decideAndApply(proposal);
    assert.deepEqual(decisions, [
      { path: EDITED, acceptedHunks: [0] },
      { path: CRLF, acceptedHunks: [0] },
      { path: CREATED, acceptedHunks: [0] },
    ]);
    const [units, crlf, created] = proposal.changes;
    assert.equal(diffHunks(units!.before, units!.after).length, 2, 'the edited file has two separate hunks');

    const outcome = await applyReviewed(proposal, decisions, checkpointStore());
    assert.equal(outcome.kind, 'applied');
    const expectedUnits = utf8(applyHunks(units!.before, units!.after, [0]));
    assert.deepEqual(bytesOf(EDITED), expectedUnits, 'hunk 0 applied, hunk 1 not');
    assert.ok(new TextDecoder().decode(expectedUnits).includes('"mg"') && !new TextDecoder().decode(expectedUnits).includes('"c.": "cup"'));
    assert.deepEqual(bytesOf(CRLF), utf8(crlf!.after), 'CRLF and UTF-8 kept byte for byte');
    assert.deepEqual(bytesOf(CREATED), utf8(created!.after), 'the new file holds exactly the proposed text');

    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), EDITED));
    await vscode.window.showTextDocument(document);
    let undoSettled = false;
    const undone = Promise.resolve(vscode.commands.executeCommand('undo')).finally(() => (undoSettled = true));
    // One WorkspaceEdit across files: VS Code may ask whether to undo it in all of them. The dialog
    // can take seconds on a loaded machine, and the undo waits for it: answer it whenever it comes.
    while (hasRunner() && !undoSettled) {
      if (await uiClick('.monaco-dialog-box .monaco-button:has-text("Undo in")', 1000)) break;
    }
    await undone;
    await waitFor('the edit to be undone', () => document.getText() === units!.before);
    await document.save();
    assert.deepEqual(bytesOf(EDITED), unitsOriginal, 'Undo gives back the original bytes');
  });

  test('restoring the checkpoint returns the original bytes and deletes the new file', async () => {
    const proposal = makeProposal();
    const store = checkpointStore();
    const outcome = await applyReviewed(proposal, await decideAndApply(proposal), store);
    assert.ok(outcome.kind === 'applied', `applied, not ${outcome.kind}`);
    assert.deepEqual(outcome.written, [EDITED, CRLF]);
    assert.deepEqual(outcome.created, [CREATED]);
    assert.notDeepEqual(bytesOf(EDITED), unitsOriginal);

    const restored = await store.restore(outcome.checkpointId);
    assert.deepEqual(restored.deleted, [CREATED]);
    assert.deepEqual(bytesOf(EDITED), unitsOriginal);
    assert.deepEqual(bytesOf(CRLF), utf8(CRLF_BEFORE));
    assert.equal(bytesOf(CREATED), undefined, 'the file the proposal created is gone');
  });

  test('a file changed on disk after the proposal: applying is refused, naming it, and nothing is written', async () => {
    const proposal = makeProposal();
    const { decided } = await startReview(proposal);
    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('baton.review.apply');
    const decisions = (await decided) as FileDecision[];
    const movedOn = CRLF_BEFORE.replace('VALUE = 1', 'VALUE = 7');
    fs.writeFileSync(onDisk(CRLF), movedOn);

    const applier = new WorkspaceEditApplier(new VsCodeWorkspaceFiles(folder()));
    await assert.rejects(applier.apply(acceptedChanges(proposal, decisions)), (err: unknown) => {
      assert.ok(err instanceof ChangedSinceProposalError);
      assert.deepEqual(err.paths, [CRLF]);
      return true;
    });

    const store = checkpointStore();
    const pending = applyReviewed(proposal, decisions, store, hasRunner() ? undefined : async () => false);
    if (hasRunner()) {
      const message = await notification('changed since the proposal');
      assert.match(message, /"pantry\/review_crlf_probe\.py" changed since the proposal was made: nothing was applied/);
      assert.match(message, /Request fresh proposal/);
    }
    const outcome = await pending;
    assert.equal(outcome.kind, 'refused');
    assert.deepEqual(outcome.kind === 'refused' && outcome.changed, [CRLF]);
    assert.deepEqual(bytesOf(EDITED), unitsOriginal, 'the unchanged file was not written either');
    assert.deepEqual(bytesOf(CRLF), utf8(movedOn));
    assert.equal(bytesOf(CREATED), undefined);
    assert.equal((await store.history()).length, 0, 'no checkpoint for an apply that never happened');
  });

  test('cancelling or closing the diff rejects the node without applying', async () => {
    const controller = new AbortController();
    const { decided: cancelled } = await startReview(makeProposal(), undefined, controller.signal);
    controller.abort();
    assert.equal(await cancelled, 'reject');

    const { decided: closed } = await startReview(makeProposal());
    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await closed, 'reject');
    assert.deepEqual(bytesOf(EDITED), unitsOriginal);
    assert.equal(services.diffReview.current, undefined);
  });

  suiteTeardown(async () => {
    // Later suites plan context on this workspace: leave it as it was.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(onDisk(EDITED), unitsOriginal);
    for (const rel of [CRLF, CREATED]) fs.rmSync(onDisk(rel), { force: true });
  });
});
