import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpServerFactory } from '@modelcontextprotocol/server';

export const MCP_PATH = '/mcp';

export interface HttpServing {
  url: string;
  close(): Promise<void>;
}

/**
 * Streamable HTTP on 127.0.0.1 only, at /mcp: the 2026-07-28 revision, stateless, with the SDK's
 * stateless fallback for 2025-era clients. Requests whose Host or Origin is not this machine are
 * refused (a web page cannot reach the server through DNS rebinding).
 */
export async function serveHttp(factory: McpServerFactory, port: number, onerror: (err: Error) => void): Promise<HttpServing> {
  const handler = createMcpHandler(factory, { onerror });
  const serve = toNodeHandler(handler, { onerror });
  const validHost = localhostHostValidation();
  const validOrigin = localhostOriginValidation();
  const server = createServer((req, res) => {
    if (!validHost(req, res) || !validOrigin(req, res)) return;
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== MCP_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Baton's MCP endpoint is ${MCP_PATH}.\n`);
      return;
    }
    void serve(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}${MCP_PATH}`,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
