import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { workspaceRoot } from '../../core/agentTools/workspaceRoots';
import { defaultCacheRoot } from '../../node/nodeIndexCacheStore';
import { positiveInt } from '../taskInput';
import { UsageError } from '../usage';
import { createBatonMcpServer } from './batonMcpServer';
import { serveHttp } from './httpServing';
import { WarmEngines } from './warmEngines';

/**
 * `baton mcp`: serves Baton's context engine over MCP until the client goes away (stdio: standard
 * input ends) or the process is stopped (HTTP: SIGINT / SIGTERM). Resolves with the exit code.
 * Standard output is the protocol on stdio: everything for the person goes to `warn` (stderr).
 */
export async function runMcp(args: string[], out: (text: string) => void, warn: (text: string) => void): Promise<number> {
  const { values: opt } = parseArgs({
    args,
    strict: true,
    options: {
      repo: { type: 'string', multiple: true },
      http: { type: 'string' },
      'max-file-bytes': { type: 'string' },
      'index-cache': { type: 'string' },
      'no-index-cache': { type: 'boolean' },
    },
  });
  const folders = opt.repo?.length ? opt.repo : [process.cwd()];
  for (const f of folders) if (!statSync(f, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--repo ${f} is not a folder.`);
  const roots = folders.map(workspaceRoot);
  const port = opt.http === undefined ? undefined : positiveInt(opt.http, '--http', true, true)!;
  if (port !== undefined && port > 65535) throw new UsageError(`--http must be a port number (0 picks a free one), not "${opt.http}".`);
  if (opt['index-cache'] !== undefined && opt['no-index-cache']) throw new UsageError('Give --index-cache DIR or --no-index-cache, not both.');
  if (opt['index-cache'] === '') throw new UsageError('--index-cache needs a folder.');

  const engines = new WarmEngines({
    cacheRoot: opt['no-index-cache'] ? undefined : resolve(opt['index-cache'] ?? defaultCacheRoot()),
    maxFileBytes: positiveInt(opt['max-file-bytes'], '--max-file-bytes', false),
    log: warn,
  });
  const factory = (): ReturnType<typeof createBatonMcpServer> => createBatonMcpServer(roots, engines);
  const onerror = (err: Error): void => warn(`baton mcp: ${err.message}`);
  const served = roots.map((r) => r.path).join(', ');

  if (port === undefined) {
    const stdio = serveStdio(factory, { onerror });
    warn(`baton mcp: serving ${served} on stdio`);
    await new Promise<void>((done) => process.stdin.once('close', done).once('end', done));
    await stdio.close();
  } else {
    const http = await serveHttp(factory, port, onerror);
    out(`baton mcp: serving ${served} at ${http.url}`);
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await http.close();
  }
  await engines.close();
  return 0;
}
