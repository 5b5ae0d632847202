// The manifest repeats what the code defines once: the language-model tool's input schema and
// description (VS Code reads them from package.json before the extension runs). They must agree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { PLAN_CONTEXT_DESCRIPTION, planContextEditorInput } from '../../src/core/agentTools/toolSchemas';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('package.json contributes the context engine to VS Code', () => {
  it('the language-model tool has the input schema and description the code validates and serves', () => {
    const tool = manifest.contributes.languageModelTools.find((t: { name: string }) => t.name === 'baton_plan_context');
    assert.ok(tool, 'no baton_plan_context in contributes.languageModelTools');
    const { $schema: _, ...schema } = z.toJSONSchema(planContextEditorInput);
    assert.deepEqual(tool.inputSchema, schema, 'inputSchema differs from planContextEditorInput: regenerate it with z.toJSONSchema');
    assert.equal(tool.modelDescription, PLAN_CONTEXT_DESCRIPTION);
  });

  it('offers an MCP server definition, and claims the VS Code that has both APIs (1.101)', () => {
    assert.deepEqual(
      manifest.contributes.mcpServerDefinitionProviders.map((p: { id: string }) => p.id),
      ['baton.contextEngine'],
    );
    assert.equal(manifest.engines.vscode, '^1.101.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '1.101.0', '@types/vscode must not promise APIs newer than engines.vscode');
  });
});
