// The engine's tools on real files: definitions with their ranges, outlines within a token cap,
// and secrets in quoted signatures redacted as they are in a plan's prompt.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDefinitionsForTool } from '../../src/core/agentTools/findDefinitionsTool';
import { outlineForTool, renderOutline } from '../../src/core/agentTools/outlineTool';
import { chooseRoot, workspaceRoot } from '../../src/core/agentTools/workspaceRoots';
import { ContextEngine } from '../../src/core/context/engine';
import { TokenCounter } from '../../src/core/tokens/tokenCounter';

const KEY = 'sk_live_51AgentToolsQ8wX2vB7nK4pL9tR3yH6';

function workspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'baton-agent-tools-'));
  mkdirSync(join(ws, 'src'));
  writeFileSync(
    join(ws, 'src', 'billing.ts'),
    `export const STRIPE_KEY = '${KEY}';\n\nexport function charge(amount: number): number {\n  return amount;\n}\n\nexport class Invoice {\n  total(): number {\n    return charge(1);\n  }\n}\n`,
  );
  const many = Array.from({ length: 60 }, (_, i) => `export function step${i}(input: string): string {\n  return input;\n}\n`).join('\n');
  writeFileSync(join(ws, 'src', 'pipeline.ts'), many);
  return ws;
}

describe('the context engine as agent tools', () => {
  const ws = workspace();
  const root = workspaceRoot(ws);

  it('finds a definition with its whole range and signature, and redacts a secret in the signature', async () => {
    const engine = await ContextEngine.open(ws);
    const out = await findDefinitionsForTool(engine, root, { names: ['charge', 'STRIPE_KEY', 'Invoice'] });
    const [charge, key, invoice] = out.results;
    assert.deepEqual(charge!.definitions, [{ path: 'src/billing.ts', range: [3, 5], signature: 'export function charge(amount: number): number {' }]);
    assert.deepEqual(invoice!.definitions[0]!.range, [7, 11]);
    assert.equal(key!.definitions[0]!.path, 'src/billing.ts');
    assert.ok(!JSON.stringify(out).includes(KEY), 'the key came out in a signature');
    assert.match(key!.definitions[0]!.signature, /\[REDACTED:/);
  });

  it('outlines within the token cap, cutting whole definitions and counting them', async () => {
    const engine = await ContextEngine.open(ws);
    const out = await outlineForTool(engine, root, { paths: ['src/billing.ts', 'src/pipeline.ts'], maxTokens: 300, model: 'gpt-4o' });
    assert.equal(out.encoding, 'o200k_base');
    const text = renderOutline(out.files);
    assert.equal(out.tokens, new TokenCounter('o200k_base').count(text), 'tokens counts the outline text exactly');
    assert.ok(out.tokens <= 300, `${out.tokens} tokens`);
    const [billing, pipeline] = out.files;
    assert.deepEqual(
      billing!.definitions.map((d) => d.name),
      ['STRIPE_KEY', 'charge', 'Invoice', 'total'],
    );
    assert.ok((pipeline!.cut ?? 0) > 0 && pipeline!.definitions.length + pipeline!.cut! === 60, 'every definition is shown or counted as cut');
    assert.match(text, /more definitions cut for the token cap/);
    assert.ok(!text.includes(KEY));
  });

  it('refuses a root that is not a workspace folder, names the one to use, and needs a choice among several', () => {
    assert.equal(chooseRoot([root], undefined), root);
    assert.equal(chooseRoot([root], ws), root);
    assert.throws(() => chooseRoot([root], tmpdir()), /not a workspace folder Baton serves; roots outside the workspace are refused/);
    assert.throws(() => chooseRoot([root], join(ws, 'src')), /is not a workspace folder/);
    const other = workspaceRoot(mkdtempSync(join(tmpdir(), 'baton-agent-tools-')));
    assert.throws(() => chooseRoot([root, other], undefined), /Give "root": one of/);
    assert.equal(chooseRoot([root, other], other.name), other);
  });
});
