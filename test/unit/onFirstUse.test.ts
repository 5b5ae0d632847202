import { strict as assert } from 'node:assert';
import { onFirstUse } from '../../src/host/onFirstUse';

describe('onFirstUse', () => {
  it('makes the value once, however many ask at once, and keeps it', async () => {
    let made = 0;
    const value = onFirstUse(async () => ({ n: ++made }));
    const [a, b] = await Promise.all([value(), value()]);
    assert.equal(a, b);
    assert.equal(await value(), a);
    assert.equal(made, 1);
  });

  it('tries again after a make that failed, and keeps the one that worked', async () => {
    let attempts = 0;
    const value = onFirstUse(async () => {
      if (++attempts === 1) throw new Error('services.js could not be loaded');
      return attempts;
    });
    await assert.rejects(value(), /could not be loaded/);
    assert.equal(await value(), 2);
    assert.equal(await value(), 2);
    assert.equal(attempts, 2);
  });
});
