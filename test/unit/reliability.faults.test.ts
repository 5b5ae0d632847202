import { strict as assert } from 'node:assert';
import { FAULT_ROLES, FAULT_SCENARIOS, openFaultWorld, runFaultCase, type FaultCaseResult, type FaultWorld } from '../support/faultMatrix';

// Issue 6's fault matrix: 4 roles x 9 faults against the scripted server, each through the role's
// real code path (planTask, or runNode on a temp copy of pyshop). See test/support/faultMatrix.ts.
describe('reliability: every fault at every role recovers or fails clearly, writing nothing partial', function () {
  this.timeout(10_000);
  let world: FaultWorld;
  const results: FaultCaseResult[] = [];

  before(async () => {
    world = await openFaultWorld();
  });
  after(() => {
    world.dispose();
    assert.equal(results.length, FAULT_ROLES.length * FAULT_SCENARIOS.length);
  });

  for (const role of FAULT_ROLES) {
    for (const scenario of FAULT_SCENARIOS) {
      const expected = scenario.expect.kind === 'recovers' ? 'recovers after a visible retry' : `fails with ${scenario.expect.errorClass.name}`;
      it(`${role}: ${scenario.title} ${expected}`, async () => {
        results.push(await runFaultCase(world, role, scenario));
      });
    }
  }
});
