// Baton's context engine offered to other chat tools inside a real VS Code: the language-model tool
// (what Copilot's agent mode calls) registered and planning through vscode.lm.invokeTool, and the
// MCP server definition VS Code starts as `baton mcp` on the bundled CLI, whose tools it then lists.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { folder } from './workspaceFolder';

const TOOL = 'baton_plan_context';
const TASK = 'Ingredient lines with a dotted unit abbreviation, like "3 tbsp. sugar", fail to parse: parse_line reads "tbsp." as part of the name.';

async function invoke(input: object): Promise<string[]> {
  const result = await vscode.lm.invokeTool(TOOL, { input, toolInvocationToken: undefined });
  return result.content.map((part) => {
    assert.ok(part instanceof vscode.LanguageModelTextPart, `a part of the result is not text: ${JSON.stringify(part)}`);
    return part.value;
  });
}

suite('Context engine for other tools (language-model tool, MCP server definition)', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('baton-dev.baton')!.activate();
  });

  test('the language-model tool is registered with its schema and a description a model can act on', () => {
    const tool = vscode.lm.tools.find((t) => t.name === TOOL);
    assert.ok(tool, `vscode.lm.tools lacks ${TOOL}: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
    assert.match(tool.description, /within a token budget/);
    const schema = tool.inputSchema as { required?: string[]; properties?: Record<string, unknown> };
    assert.deepEqual(schema.required, ['task']);
    assert.ok(schema.properties && 'budget' in schema.properties && 'pins' in schema.properties);
  });

  test('vscode.lm.invokeTool returns the plan: the ledger within the budget, then the packed context', async () => {
    const [ledger, prompt] = await invoke({ task: TASK, budget: 2000, model: 'gpt-4o' });
    assert.ok(ledger && prompt, 'expected the ledger and the prompt');
    assert.match(ledger, new RegExp(`^Context plan for ${folder().fsPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`));
    assert.match(ledger, /^tier\s+tokens\s+score\s+item\s+why$/m);
    const totals = /= (\d+) of 2000 tokens \((\d+) more kept for the answer; o200k_base\)/.exec(ledger);
    assert.ok(totals, `no totals line in:\n${ledger}`);
    assert.ok(Number(totals[1]) + Number(totals[2]) <= 2000, 'the plan fits the budget');
    assert.match(ledger, /pantry\/ingredients\.py/, 'the file the task is about is in the plan');
    assert.ok(prompt.includes('def parse_line'), 'the packed context shows parse_line');
    assert.ok(prompt.includes('tbsp. sugar'), 'the packed context holds the task');
  });

  test('with no budget, the baton.context.budget setting is used; a pin outside the workspace is refused, naming it', async () => {
    const [ledger] = await invoke({ task: TASK });
    const budget = vscode.workspace.getConfiguration('baton.context').get<number>('budget');
    assert.match(ledger!, new RegExp(`of ${budget} tokens`));
    await assert.rejects(invoke({ task: TASK, budget: 2000, pins: ['../outside.py'] }), /"\.\.\/outside\.py": not a workspace path: it leaves the workspace/);
  });

  test('the MCP server definition is offered: VS Code starts baton mcp, lists its tools and calls one', async function () {
    this.timeout(120_000);
    // Starts every MCP server VS Code knows, trusting them, and waits until their tools are live.
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true, autoTrustChanges: true });
    const names = vscode.lm.tools.map((t) => t.name);
    for (const tool of ['plan_context', 'find_definitions', 'outline']) {
      assert.ok(
        names.some((n) => n.endsWith(tool) && n !== TOOL),
        `no MCP tool ${tool} from baton mcp among: ${names.join(', ')}`,
      );
    }
    const served = vscode.lm.tools.find((t) => t.name.endsWith('plan_context') && t.name !== TOOL)!;
    assert.equal(served.description, vscode.lm.tools.find((t) => t.name === TOOL)!.description, "the MCP tool is Baton's plan_context");
    const found = await vscode.lm.invokeTool(served.name.replace(/plan_context$/, 'find_definitions'), {
      input: { names: ['parse_line'] },
      toolInvocationToken: undefined,
    });
    const text = found.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('\n');
    // VS Code hands the model the structured result of a tool that declares an output schema.
    assert.match(
      text,
      /"name":"parse_line","definitions":\[\{"path":"pantry\/ingredients\.py","range":\[\d+,\d+\]/,
      `find_definitions through VS Code's MCP client answered: ${text}`,
    );
    console.log(`  (MCP tools from baton mcp: ${names.filter((n) => n !== TOOL && /plan_context|find_definitions|outline/.test(n)).join(', ')})`);
  });
});
