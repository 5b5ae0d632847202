// Root hooks of the unit tests (.mocharc.json requires this file): the hostile suite's ledger,
// its closing count of attacks per category, and that count as JSON for bench:reliability.
import { writeFileSync } from 'node:fs';
import { attackCounts, attackHooks, attackSummary } from './attackLedger';

export const mochaHooks = {
  beforeEach: attackHooks.beforeEach,
  afterEach: attackHooks.afterEach,
  afterAll() {
    const summary = attackSummary('unit tests');
    if (summary) console.log(`\n${summary}`);
    const out = process.env.BATON_ATTACK_COUNTS;
    if (out) writeFileSync(out, JSON.stringify(attackCounts(), null, 2));
    attackHooks.afterAll();
  },
};
