import { McpServer } from '@modelcontextprotocol/server';
import { version } from '../../../package.json';
import { findDefinitionsForTool } from '../../core/agentTools/findDefinitionsTool';
import { outlineForTool, renderOutline } from '../../core/agentTools/outlineTool';
import { planContextForTool, planContextText } from '../../core/agentTools/planContextTool';
import {
  FIND_DEFINITIONS_DESCRIPTION,
  findDefinitionsInput,
  findDefinitionsOutput,
  OUTLINE_DESCRIPTION,
  outlineInput,
  outlineOutput,
  PLAN_CONTEXT_DESCRIPTION,
  planContextInput,
  planContextOutput,
} from '../../core/agentTools/toolSchemas';
import { chooseRoot, type WorkspaceRoot } from '../../core/agentTools/workspaceRoots';
import type { WarmEngines } from './warmEngines';

// Every tool only reads the index: nothing is written, run or fetched.
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/**
 * A fresh MCP server with Baton's three tools. The SDK asks for one per HTTP request or stdio
 * connection; all of them share the warm engines, so the index is built once per root.
 */
export function createBatonMcpServer(roots: readonly WorkspaceRoot[], engines: WarmEngines): McpServer {
  const server = new McpServer(
    { name: 'baton', title: 'Baton context engine', version },
    {
      // The three tools never change while the server runs.
      capabilities: { tools: { listChanged: false } },
      instructions:
        `Baton plans what a model should see for a coding task in ${roots.map((r) => r.path).join(', ')}, within a token budget. ` +
        'Call plan_context first for a task; use find_definitions and outline to look further.',
    },
  );
  const serve = async (root: string | undefined): Promise<{ root: WorkspaceRoot; engine: Awaited<ReturnType<WarmEngines['get']>> }> => {
    const chosen = chooseRoot(roots, root);
    return { root: chosen, engine: await engines.get(chosen) };
  };

  server.registerTool(
    'plan_context',
    {
      title: 'Plan context for a task',
      description: PLAN_CONTEXT_DESCRIPTION,
      inputSchema: planContextInput,
      outputSchema: planContextOutput,
      annotations: READ_ONLY,
    },
    async (input) => {
      const { root, engine } = await serve(input.root);
      const output = await planContextForTool(engine, root, input);
      return { content: planContextText(output).map((text) => ({ type: 'text' as const, text })), structuredContent: output };
    },
  );
  server.registerTool(
    'find_definitions',
    {
      title: 'Find definitions',
      description: FIND_DEFINITIONS_DESCRIPTION,
      inputSchema: findDefinitionsInput,
      outputSchema: findDefinitionsOutput,
      annotations: READ_ONLY,
    },
    async (input) => {
      const { root, engine } = await serve(input.root);
      const output = await findDefinitionsForTool(engine, root, input);
      const text = output.results
        .map(
          (r) =>
            `${r.name}: ${r.definitions.length ? r.definitions.map((d) => `${d.path}:${d.range[0]}-${d.range[1]}`).join(', ') : 'not defined in the indexed files'}${r.more ? ` (+${r.more} more)` : ''}`,
        )
        .join('\n');
      return { content: [{ type: 'text', text }], structuredContent: output };
    },
  );
  server.registerTool(
    'outline',
    { title: 'Outline files', description: OUTLINE_DESCRIPTION, inputSchema: outlineInput, outputSchema: outlineOutput, annotations: READ_ONLY },
    async (input) => {
      const { root, engine } = await serve(input.root);
      const output = await outlineForTool(engine, root, input);
      return { content: [{ type: 'text', text: renderOutline(output.files) }], structuredContent: output };
    },
  );
  return server;
}
