// The sidebar's cockpit messages (node actions, the run's step, decisions and their answers) as
// both sides check them on arrival: what a person's click sends passes, and a webview (untrusted)
// cannot send an action the host does not have, an answer with a made-up id, or a step out of range.
import * as assert from 'node:assert/strict';
import { HostToWebview, NodeAction, WebviewToHost } from '../../src/protocol';

describe('protocol: the sidebar as the cockpit', () => {
  it('accepts every node action on a node, and New Task', () => {
    for (const action of NodeAction.options) assert.ok(WebviewToHost.safeParse({ type: 'nodeAction', nodeId: 'n1', action }).success, action);
    assert.ok(WebviewToHost.safeParse({ type: 'newTask' }).success);
  });

  it('refuses an unknown action, an empty node id or a missing one', () => {
    for (const bad of [
      { type: 'nodeAction', nodeId: 'n1', action: 'deleteEverything' },
      { type: 'nodeAction', nodeId: '', action: 'run' },
      { type: 'nodeAction', action: 'run' },
      { type: 'nodeAction', nodeId: 'x'.repeat(201), action: 'run' },
    ])
      assert.equal(WebviewToHost.safeParse(bad).success, false, JSON.stringify(bad).slice(0, 80));
  });

  it('takes an answer to a decision by its id and its words; an id of another shape is refused', () => {
    assert.ok(WebviewToHost.safeParse({ type: 'answerDecision', decisionId: 'decision-1', choice: 'Run It' }).success);
    assert.equal(WebviewToHost.safeParse({ type: 'answerDecision', decisionId: '../1', choice: 'Run It' }).success, false);
    assert.equal(WebviewToHost.safeParse({ type: 'answerDecision', decisionId: 'decision-1', choice: '' }).success, false);
  });

  it('carries the running node with its step and round, and the decisions waiting', () => {
    const message = {
      type: 'activity',
      running: { nodeId: 'n2', step: 'maker', round: 2, message: 'Round 2: asking the maker for a proposal' },
      decisions: [{ id: 'decision-3', nodeId: 'n2', kind: 'testCommand', text: 'Baton will run `npm test`', choices: ['Run It', 'Not Now'] }],
    };
    const parsed = HostToWebview.safeParse(message);
    assert.ok(parsed.success, parsed.error?.message);
    assert.deepEqual(parsed.data, message);
    assert.ok(HostToWebview.safeParse({ type: 'activity', running: null, decisions: [] }).success, 'nothing under way');
    assert.ok(
      HostToWebview.safeParse({ ...message, decisions: [{ ...message.decisions[0], nodeId: null, kind: 'restore' }] }).success,
      "a restore is not one node's",
    );
  });

  it('refuses a step the run does not have, a negative round, a decision with no answer or of an unknown kind', () => {
    const running = { nodeId: 'n2', step: 'maker', round: 1, message: '' };
    const decision = { id: 'decision-1', nodeId: 'n2', kind: 'testCommand', text: 't', choices: ['Run It'] };
    for (const bad of [
      { running: { ...running, step: 'deploy' }, decisions: [] },
      { running: { ...running, round: -1 }, decisions: [] },
      { running: null, decisions: [{ ...decision, choices: [] }] },
      { running: null, decisions: [{ ...decision, kind: 'payment' }] },
    ])
      assert.equal(HostToWebview.safeParse({ type: 'activity', ...bad }).success, false, JSON.stringify(bad).slice(0, 100));
  });
});
