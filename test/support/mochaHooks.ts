// Root hooks of the unit tests (.mocharc.json requires this file): the hostile suite's ledger,
// its closing count of attacks per category, and that count as JSON for bench:reliability.
import { writeFileSync } from 'node:fs';
import { attackCounts, attackHooks } from './attackLedger';

const ledger = attackHooks('unit tests');

export const mochaHooks = {
  ...ledger,
  afterAll() {
    const out = process.env.BATON_ATTACK_COUNTS;
    if (out) writeFileSync(out, JSON.stringify(attackCounts(), null, 2));
    ledger.afterAll();
  },
};
