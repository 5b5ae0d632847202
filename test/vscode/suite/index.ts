// The module VS Code's extension host loads as extensionTestsPath: it require()s it and awaits
// run(); a rejection fails the run. Each *.test.ts is bundled on its own next to this file
// (test/vscode/run.mjs), and mocha is bundled in here, so nothing is resolved from node_modules.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attackHooks } from '../../support/attackLedger';

export function run(): Promise<void> {
  // The hostile suite's ledger: each attack test must show its attack was made; the run closes
  // with the count of attacks per category.
  const rootHooks = attackHooks('in-editor tests');
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60000, rootHooks });
  const grep = process.env.BATON_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        // The closing line CI reads in any language.
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} in-editor test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
