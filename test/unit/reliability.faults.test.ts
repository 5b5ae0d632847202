import { FAULT_ROLES, FAULT_SCENARIOS, STEADY_NETWORK, openFaultWorld, runFaultCase, type FaultWorld } from '../support/faultMatrix';

// Issue 6's fault matrix: 4 roles x 9 faults against the scripted server, each through the role's
// real code path (planTask, or runNode on a temp copy of pyshop). See test/support/faultMatrix.ts.
describe('reliability: every fault at every role recovers or fails clearly, writing nothing partial', function () {
  // A guard against hangs only, longer than the steady limits so a stuck call fails with its own
  // message; the first case also warms everything up, which takes seconds on a loaded machine.
  this.timeout(3 * STEADY_NETWORK.headersTimeoutSeconds * 1000);
  let world: FaultWorld;

  before(async () => {
    world = await openFaultWorld();
  });
  after(() => world.dispose());

  for (const role of FAULT_ROLES) {
    for (const scenario of FAULT_SCENARIOS) {
      const expected = scenario.expect.kind === 'recovers' ? 'recovers after a visible retry' : `fails with ${scenario.expect.errorClass.name}`;
      it(`${role}: ${scenario.title} ${expected}`, async () => {
        await runFaultCase(world, role, scenario);
      });
    }
  }
});
