import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Exec, ExecOptions, ExecResult } from '../core/ports';

// The Exec port on Node: runs the project's test command through the shell and guarantees that
// cancelling or timing out kills the command *and everything it started* (npm -> node -> workers,
// make -> sh -> pytest), and that the returned promise always settles, even when a process
// ignores SIGTERM or a stray grandchild keeps the output pipe open.
//
// On POSIX the command runs detached, i.e. as the leader of its own process group, so one
// signal to the group (-pid) reaches every descendant that did not deliberately leave it.
// On Windows the tree is killed with `taskkill /T /F`.

export interface NodeExecOptions {
  /** Output kept for the result: the last this many bytes (default 64 KiB). */
  outputCapBytes?: number;
  /** Time between SIGTERM and SIGKILL for the process group (default 500 ms). */
  killGraceMs?: number;
  /**
   * After the group was killed, or the shell exited, how long to wait for the output pipes to
   * close before settling anyway (default 250 ms). Bounds the wait when a process outside the
   * group (a daemon that called setsid) still holds the pipe.
   */
  drainMs?: number;
}

const DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024;
const DEFAULT_KILL_GRACE_MS = 500;
const DEFAULT_DRAIN_MS = 250;
const isWindows = process.platform === 'win32';

export class NodeExec implements Exec {
  private readonly outputCapBytes: number;
  private readonly killGraceMs: number;
  private readonly drainMs: number;

  constructor(options: NodeExecOptions = {}) {
    this.outputCapBytes = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  }

  async run(command: string, options: ExecOptions): Promise<ExecResult> {
    const startedAt = performance.now();
    const elapsed = (): number => Math.round(performance.now() - startedAt);

    if (options.signal?.aborted) {
      return { exitCode: null, output: '', outcome: 'cancelled', durationMs: elapsed() };
    }
    // Checked up front: spawn would report a missing cwd as "spawn /bin/sh ENOENT", which
    // sends the person looking for a missing shell.
    const cwdProblem = await folderProblem(options.cwd);
    if (cwdProblem) {
      return { exitCode: null, output: cwdProblem, outcome: 'failed-to-start', durationMs: elapsed() };
    }
    return new Promise<ExecResult>((resolve) => {
      new RunningCommand(command, options, this.outputCapBytes, this.killGraceMs, this.drainMs, (result) =>
        resolve({ ...result, durationMs: elapsed() }),
      ).start();
    });
  }
}

type Outcome = ExecResult['outcome'];

/** One run, from spawn to the single call of `finish`. */
class RunningCommand {
  private child: ChildProcess | undefined;
  private readonly output: TailBuffer;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private stopReason: 'cancelled' | 'timed-out' | undefined;
  private exitCode: number | null = null;
  private exited = false;
  private settled = false;
  private readonly onAbort = (): void => this.stop('cancelled');

  constructor(
    private readonly command: string,
    private readonly options: ExecOptions,
    outputCapBytes: number,
    private readonly killGraceMs: number,
    private readonly drainMs: number,
    private readonly finish: (result: Omit<ExecResult, 'durationMs'>) => void,
  ) {
    this.output = new TailBuffer(outputCapBytes);
  }

  start(): void {
    let child: ChildProcess;
    try {
      child = spawnShell(this.command, this.options.cwd);
    } catch (error) {
      this.settle('failed-to-start', `Could not start \`${this.command}\`: ${errorMessage(error)}`);
      return;
    }
    this.child = child;
    if (child.pid !== undefined) {
      installExitHook();
      liveGroups.add(child.pid);
    }

    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const decoder = new StringDecoder('utf8');
      stream.on('data', (chunk: Buffer) => {
        this.output.push(chunk);
        const text = decoder.write(chunk);
        if (text && this.options.onOutput) {
          try {
            this.options.onOutput(text);
          } catch {
            // A failing progress display must not lose the run.
          }
        }
      });
      stream.on('error', () => undefined); // EPIPE and friends after a kill: the result still stands
    }

    child.once('error', (error) => {
      // Only spawn failures arrive here (we never signal through `child.kill`).
      if (!this.exited) this.settle('failed-to-start', `Could not start \`${this.command}\`: ${error.message}`);
    });
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      // Usually 'close' follows at once. If a background process the command left behind
      // still holds the pipe, end it and settle rather than wait for it forever.
      this.later(this.drainMs, () => {
        this.killGroup('SIGKILL');
        this.settleFromExit();
      });
    });
    child.once('close', () => this.settleFromExit());

    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.options.timeoutMs !== undefined && this.options.timeoutMs >= 0) {
      this.later(this.options.timeoutMs, () => this.stop('timed-out'));
    }
  }

  private stop(reason: 'cancelled' | 'timed-out'): void {
    if (this.settled || this.stopReason) return;
    this.stopReason = reason;
    this.killGroup('SIGTERM');
    this.later(this.killGraceMs, () => {
      this.killGroup('SIGKILL');
      // SIGKILL cannot be refused; if the pipes still do not close, someone outside the group
      // holds them, and that must not hold up the cancel.
      this.later(this.drainMs, () => this.settleFromExit());
    });
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    if (isWindows) {
      if (this.exited) return;
      // taskkill /F is already forceful: one call, for the SIGTERM step only.
      if (signal === 'SIGTERM') killWindowsTree(pid);
      return;
    }
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the whole group is already gone.
    }
  }

  private settleFromExit(): void {
    const outcome: Outcome = this.stopReason ?? 'exited';
    this.settle(outcome, undefined);
  }

  private settle(outcome: Outcome, message: string | undefined): void {
    if (this.settled) return;
    this.settled = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.child?.stdout?.destroy();
    this.child?.stderr?.destroy();
    if (this.child?.pid !== undefined && this.exited) liveGroups.delete(this.child.pid);
    const output = message === undefined ? this.output.text() : appendLine(this.output.text(), message);
    this.finish({ exitCode: outcome === 'failed-to-start' ? null : this.exitCode, output, outcome });
  }

  private later(ms: number, action: () => void): void {
    this.timers.push(setTimeout(action, ms));
  }
}

function spawnShell(command: string, cwd: string): ChildProcess {
  if (isWindows) {
    // What Node's own `shell: true` does on Windows, spelled out so it is visible.
    return spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${command}"`], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      windowsVerbatimArguments: true,
    });
  }
  // `exec 2>&1` gives stdout and stderr one pipe, so the output keeps the order the command
  // wrote it in (two pipes read by one event loop can reorder close writes). stdin is closed so a
  // command that asks a question fails instead of waiting forever. `detached` makes the shell
  // the leader of a new process group (and session), which is what lets us kill the whole tree.
  return spawn('/bin/sh', ['-c', `exec 2>&1; ${command}`], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

function killWindowsTree(pid: number): void {
  try {
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    killer.on('error', () => undefined);
  } catch {
    // Nothing more we can do; the drain timer still settles the run.
  }
}

async function folderProblem(cwd: string): Promise<string | undefined> {
  try {
    const stat = await fsp.stat(cwd);
    return stat.isDirectory() ? undefined : `Cannot run the command in ${cwd}: it is not a folder.`;
  } catch (error) {
    return `Cannot run the command in ${cwd}: ${errorMessage(error)}`;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function appendLine(text: string, line: string): string {
  if (!text) return line;
  return text.endsWith('\n') ? text + line : `${text}\n${line}`;
}

/** Keeps the last `capBytes` bytes of the output, and says how much came before. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private keptBytes = 0;
  private droppedBytes = 0;

  constructor(private readonly capBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.keptBytes += chunk.length;
    while (this.keptBytes - (this.chunks[0]?.length ?? 0) >= this.capBytes && this.chunks.length > 1) {
      const first = this.chunks.shift() as Buffer;
      this.keptBytes -= first.length;
      this.droppedBytes += first.length;
    }
  }

  text(): string {
    let bytes = Buffer.concat(this.chunks);
    let dropped = this.droppedBytes;
    if (bytes.length > this.capBytes) {
      dropped += bytes.length - this.capBytes;
      bytes = bytes.subarray(bytes.length - this.capBytes);
    }
    if (dropped === 0) return bytes.toString('utf8');
    // Do not start in the middle of a UTF-8 character (continuation bytes are 10xxxxxx).
    let start = 0;
    while (start < bytes.length && start < 3 && ((bytes[start] as number) & 0xc0) === 0x80) start += 1;
    return `[output truncated: the first ${dropped + start} bytes are not kept]\n${bytes.subarray(start).toString('utf8')}`;
  }
}

// Detached process groups do not die with us. If Baton exits while a command runs (the CLI
// quitting mid-test), kill what is left; 'exit' handlers must be synchronous, and process.kill is.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled || isWindows) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}
