// The hostile suite's proof that it attacked. A test titled "attack <category>: ..." must show, from
// what it observed on disk, on the scripted server or on the screen, that each attack it makes
// really reached Baton (the link exists and leads out, the model sent the hostile edit, the secret
// was in the text Baton was given): attempted() fails the test when that does not hold, and the run
// fails when a passing attack test proved nothing. The run closes with the attacks per category.
// Each in-editor test file is bundled on its own, so the ledger lives on globalThis, shared by all.

export const CATEGORIES = {
  'write-outside': 'writes and restores that would leave the workspace folder',
  'sensitive-path': 'edits and restores of files that run code, .git, .vscode, .baton',
  'state-link': 'a .baton folder that is a link or holds one',
  encoding: 'edits of files Baton cannot decode exactly',
  'read-through-link': 'links that would bring outside, ignored or secret files into a prompt',
  'secret-leak': 'secrets in files, task text, diffs, findings, test output and save states',
  'command-link': 'model and workspace text shaped as live command links',
  'settings-change': 'commands called with arguments that would change roles, endpoints or keys; workspace settings sending a key elsewhere',
  'foreign-checkpoint': 'checkpoints Baton did not write, shipped in the repository',
  'oversized-id': 'state shaped to break the sidebar',
  'hidden-tail': 'approval questions whose end a notification would cut off, commands with invisible parts',
} as const;
export type AttackCategory = keyof typeof CATEGORIES;

const TITLE = /^attack ([a-z-]+): /;

interface AttackTest {
  title: string;
  category: AttackCategory;
  attempts: string[];
  passed: boolean;
}

interface Ledger {
  current?: AttackTest;
  tests: AttackTest[];
}

const KEY = Symbol.for('baton.test.attackLedger');

function ledger(): Ledger {
  const g = globalThis as { [KEY]?: Ledger };
  return (g[KEY] ??= { tests: [] });
}

/** The category an attack test's title names, or undefined for any other test. */
export function attackCategory(title: string): AttackCategory | undefined {
  const name = TITLE.exec(title)?.[1];
  if (name === undefined) return undefined;
  if (!(name in CATEGORIES)) throw new Error(`unknown attack category "${name}" in "${title}"; known: ${Object.keys(CATEGORIES).join(', ')}`);
  return name as AttackCategory;
}

/**
 * Records one attack the current test made. `held` is what the test observed that proves the
 * attack reached Baton; when it is false the attack was not made, and the test fails saying so.
 */
export function attempted(what: string, held: boolean): void {
  const test = ledger().current;
  if (!test) throw new Error(`attempted("${what}") outside a test titled "attack <category>: ..."`);
  if (!held) throw new Error(`the attack was not made: ${what}`);
  test.attempts.push(what);
}

/** Counts per category of the attack tests that passed in this run. */
export function attackCounts(): { category: AttackCategory; tests: number; attempts: number }[] {
  const byCategory = new Map<AttackCategory, { tests: number; attempts: number }>();
  for (const t of ledger().tests.filter((x) => x.passed)) {
    const c = byCategory.get(t.category) ?? { tests: 0, attempts: 0 };
    c.tests += 1;
    c.attempts += t.attempts.length;
    byCategory.set(t.category, c);
  }
  return (Object.keys(CATEGORIES) as AttackCategory[]).filter((c) => byCategory.has(c)).map((category) => ({ category, ...byCategory.get(category)! }));
}

/** The closing lines: the attacks per category, or nothing when no attack test ran. */
function attackSummary(where: string): string {
  const counts = attackCounts();
  if (counts.length === 0) return '';
  const tests = counts.reduce((n, c) => n + c.tests, 0);
  const attempts = counts.reduce((n, c) => n + c.attempts, 0);
  const width = Math.max(...counts.map((c) => c.category.length));
  const rows = counts.map((c) => `  ${c.category.padEnd(width)}  ${String(c.tests).padStart(3)} tests  ${String(c.attempts).padStart(4)} attacks made`);
  return [`Hostile workspace (${where}): ${attempts} attacks made in ${tests} tests, ${counts.length} categories`, ...rows].join('\n');
}

interface HookContext {
  currentTest?: { title: string; state?: string };
}

/**
 * Mocha root hooks: follow each attack test; at the end print the attacks per category (`where`
 * names the run) and fail the run if a passing attack test proved nothing.
 */
export function attackHooks(where: string) {
  return {
    beforeEach(this: HookContext) {
      const title = this.currentTest?.title ?? '';
      const category = attackCategory(title);
      const l = ledger();
      l.current = category ? { title, category, attempts: [], passed: false } : undefined;
    },
    afterEach(this: HookContext) {
      const l = ledger();
      if (!l.current) return;
      l.current.passed = this.currentTest?.state === 'passed';
      l.tests.push(l.current);
      l.current = undefined;
    },
    afterAll() {
      const summary = attackSummary(where);
      if (summary) console.log(`\n${summary}`);
      const unproven = ledger().tests.filter((t) => t.passed && t.attempts.length === 0);
      if (unproven.length > 0) {
        throw new Error(
          `attack tests that passed without showing their attack was made (call attempted()):\n${unproven.map((t) => `  - ${t.title}`).join('\n')}`,
        );
      }
    },
  };
}
