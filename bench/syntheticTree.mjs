// A large made-up TypeScript workspace for the event-loop benchmark: FILES source files in nested
// packages, named and filled from a fixed word list by a seeded generator (the same tree every
// time), plus what a real checkout holds that the scan must leave out: ignored, excluded, secret,
// binary and too-large files, and a link. Written once per size and kept in the temp folder.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VERSION = 1;
const WORDS = (
  'account address alert archive audit balance batch billing branch budget buffer cache calendar cart channel ' +
  'checkout client cluster comment config contract coupon credit cursor customer dashboard delivery device ' +
  'discount document domain draft email export feature filter folder gateway grant group history import ' +
  'invoice journal ledger license limit listing locale login media member message metric module notice ' +
  'order owner package payment payout permission plan policy price profile project quota receipt record ' +
  'refund region release report request review role route schedule search session setting shipment ' +
  'signal snapshot source status storage stream subscription supplier tag task team template tenant ' +
  'ticket token transfer upload usage user vendor version voucher warehouse webhook widget workflow'
).split(' ');
const VERBS =
  'apply build cancel check close compute create delete fetch find format load merge parse publish read refresh render resolve save send sync update validate write'.split(
    ' ',
  );

/** A folder holding a `files`-file tree, made on first use (the path names the size and version). */
export function syntheticTree(files) {
  const root = join(tmpdir(), `baton-event-loop-tree-v${VERSION}-${files}`);
  if (existsSync(join(root, '.complete'))) return root;
  rmSync(root, { recursive: true, force: true });
  writeTree(root, files);
  writeFileSync(join(root, '.complete'), '');
  return root;
}

function writeTree(root, files) {
  const random = seeded(20261126);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const perFolder = 25;
  const folders = Math.ceil(files / perFolder);
  for (let f = 0; f < folders; f++) {
    const dir = join(root, 'packages', `${pick(WORDS)}-${Math.floor(f / 40)}`, 'src', `${pick(WORDS)}${f % 40}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < perFolder && f * perFolder + i < files; i++) {
      const noun = pick(WORDS);
      const other = pick(WORDS);
      const name = `${noun}${cap(other)}${f * perFolder + i}`;
      const methods = Array.from({ length: 3 + Math.floor(random() * 6) }, () => `${pick(VERBS)}${cap(pick(WORDS))}`);
      const lines = [
        `import { ${cap(pick(WORDS))}Service } from '../${pick(WORDS)}/${pick(WORDS)}Service';`,
        `import type { ${cap(other)}Record } from './${other}Types';`,
        '',
        `/** Keeps the ${noun} of each ${other} and tells its ${pick(WORDS)} when it changes. */`,
        `export class ${cap(name)} {`,
        `  private readonly ${noun}s = new Map<string, ${cap(other)}Record>();`,
        '',
      ];
      for (const m of methods) {
        const a = pick(WORDS);
        const b = pick(WORDS);
        lines.push(
          `  async ${m}(${a}Id: string, ${b}: ${cap(other)}Record): Promise<void> {`,
          `    const ${a} = this.${noun}s.get(${a}Id);`,
          `    if (!${a}) throw new Error(\`no ${noun} for ${a} \${${a}Id}\`);`,
          `    // The ${b} is checked against the ${pick(WORDS)} before the ${pick(WORDS)} is ${pick(VERBS)}d.`,
          `    this.${noun}s.set(${a}Id, { ...${a}, ${b}: ${b}.${pick(WORDS)} ?? ${a}.${pick(WORDS)} });`,
          '  }',
          '',
        );
      }
      lines.push('}', '', `export function ${pick(VERBS)}${cap(noun)}(value: string): string {`, `  return value.trim().toLowerCase();`, '}', '');
      writeFileSync(join(dir, `${name}.ts`), lines.join('\n'));
    }
  }
  // What the scan leaves out, each for its own reason.
  writeFileSync(join(root, '.gitignore'), 'generated/\n*.log\n');
  mkdirSync(join(root, 'generated'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'left-pad'), { recursive: true });
  for (let i = 0; i < 200; i++) {
    writeFileSync(join(root, 'generated', `schema${i}.ts`), `export const schema${i} = ${i};\n`);
    writeFileSync(join(root, 'node_modules', 'left-pad', `part${i}.js`), `module.exports = ${i};\n`);
  }
  writeFileSync(join(root, 'debug.log'), 'ignored\n');
  writeFileSync(join(root, '.env'), 'API_KEY=not-a-real-key\n');
  writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  writeFileSync(join(root, 'dump.json'), `[${'0,'.repeat(600_000)}0]`);
  symlinkSync('packages', join(root, 'linked-packages'));
}

function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return ((s ^ (s >>> 13)) >>> 0) / 2 ** 32;
  };
}
