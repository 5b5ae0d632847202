// `baton mcp --http 0` (the built dist/cli.js) as a child process, for the tests that drive it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const cliPath = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface HttpMcpProcess {
  url: string;
  child: ChildProcess;
  /** What the server printed on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the server on a free port of 127.0.0.1 and resolves with its URL once it listens. */
export function startHttpMcp(args: string[], env: NodeJS.ProcessEnv): Promise<HttpMcpProcess> {
  const child = spawn(process.execPath, [cliPath, 'mcp', '--http', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`baton mcp exited with ${code} before listening:\n${stdout}${stderr}`)));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stdout)?.[1];
      if (url) resolve({ url, child, stderr: () => stderr, stop });
    });
  });
}
