import { strict as assert } from 'node:assert';
import { CANCEL_STATES, measureCancel, openFaultWorld, type CancelSample, type FaultWorld } from '../support/faultMatrix';

// Issue 6: cancel takes effect within a second while connecting, while waiting to retry, while
// streaming, and while the test command runs (killed with its children).
describe('reliability: cancel takes effect within a second in every state', function () {
  this.timeout(10_000);
  let world: FaultWorld;
  const samples: CancelSample[] = [];

  before(async () => {
    world = await openFaultWorld();
  });
  after(() => {
    world.dispose();
    // Shown in the test log: the latencies themselves, not only that they passed.
    console.log(`      cancel latency: ${samples.map((s) => `${s.state} ${s.latencyMs.toFixed(0)} ms`).join(', ')}`);
  });

  const expectedEnd: Record<(typeof CANCEL_STATES)[number], RegExp> = {
    connecting: /^CancelledError: vllm \(maker-model\): the call was cancelled\.$/,
    'retry-wait': /^CancelledError: vllm \(maker-model\): the call was cancelled\.$/,
    streaming: /^CancelledError: vllm \(maker-model\): the call was cancelled\.$/,
    'test-command': /^cancelled$/,
  };
  const what = {
    connecting: 'while connecting (no headers yet)',
    'retry-wait': 'while waiting 30 s to retry a 429',
    streaming: 'while the answer streams',
    'test-command': 'while the test command runs, killing its grandchild',
  };

  for (const state of CANCEL_STATES) {
    it(`cancels ${what[state]}`, async () => {
      const sample = await measureCancel(world, state);
      samples.push(sample);
      assert.match(sample.ended, expectedEnd[state]);
      assert.ok(sample.latencyMs < 1_000, `cancel took ${sample.latencyMs.toFixed(0)} ms`);
    });
  }
});
