import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeExec } from '../../src/node/nodeExec';
import type { ExecResult } from '../../src/core/ports';

// The Node Exec port: results, interleaved and capped output, and above all that cancel and
// timeout kill the whole process tree (grandchildren, processes that ignore SIGTERM) and settle
// within a second.

const posixOnly = process.platform === 'win32' ? describe.skip : describe;

posixOnly('NodeExec', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fsp.mkdtemp(join(tmpdir(), 'baton-exec-'));
  });

  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('returns the exit code and the output', async () => {
    const exec = new NodeExec();
    const ok = await exec.run('echo hello', { cwd: dir });
    assert.deepEqual({ ...ok, durationMs: 0 }, { exitCode: 0, output: 'hello\n', outcome: 'exited', durationMs: 0 });
    const failed = await exec.run('echo broken >&2; exit 3', { cwd: dir });
    assert.equal(failed.exitCode, 3);
    assert.equal(failed.outcome, 'exited');
    assert.equal(failed.output, 'broken\n');
  });

  it('runs in the given folder, and an unknown command is exit code 127, not a failure to start', async () => {
    const exec = new NodeExec();
    const where = await exec.run('pwd', { cwd: dir });
    assert.equal(await fsp.realpath(where.output.trim()), await fsp.realpath(dir));
    const missing = await exec.run('baton-no-such-command-xyz', { cwd: dir });
    assert.equal(missing.outcome, 'exited');
    assert.equal(missing.exitCode, 127);
    assert.match(missing.output, /not found/);
  });

  it('keeps stdout and stderr in the order they were written, and streams the same text', async () => {
    const streamed: string[] = [];
    const result = await new NodeExec().run('for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done', {
      cwd: dir,
      onOutput: (text) => streamed.push(text),
    });
    const expected = [1, 2, 3, 4, 5].map((i) => `out${i}\nerr${i}\n`).join('');
    assert.equal(result.output, expected);
    assert.equal(streamed.join(''), expected);
  });

  it('keeps only the tail of long output and says so', async () => {
    const result = await new NodeExec({ outputCapBytes: 1024 }).run('i=0; while [ $i -lt 5000 ]; do echo "line $i"; i=$((i+1)); done', { cwd: dir });
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /^\[output truncated: the first \d+ bytes are not kept\]\n/);
    assert.ok(result.output.endsWith('line 4999\n'));
    const kept = result.output.slice(result.output.indexOf('\n') + 1);
    assert.ok(Buffer.byteLength(kept) <= 1024, `kept ${Buffer.byteLength(kept)} bytes`);
    assert.ok(Buffer.byteLength(kept) > 900);
  });

  it('cancel kills the command and its grandchild and settles within a second', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const controller = new AbortController();
    const running = new NodeExec().run(`sh -c 'sleep 30 & echo $! > "${pidFile}"; sleep 30; wait'`, {
      cwd: dir,
      signal: controller.signal,
    });
    const grandchild = await waitForPid(pidFile);
    assert.ok(isAlive(grandchild), 'the grandchild runs before the cancel');

    const { result, latencyMs } = await settleAfter(() => controller.abort(), running);
    report('cancel (grandchild)', latencyMs);
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.exitCode, null);
    assert.ok(latencyMs < 1000, `settled ${latencyMs} ms after the cancel`);
    assert.ok(await gone(grandchild), `grandchild ${grandchild} still runs`);
  });

  it('a command that ignores SIGTERM still dies (SIGKILL after the grace) within 1.5 s', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const controller = new AbortController();
    const running = new NodeExec().run(`trap '' TERM; sleep 30 & echo $! > "${pidFile}"; wait`, {
      cwd: dir,
      signal: controller.signal,
    });
    const child = await waitForPid(pidFile);

    const { result, latencyMs } = await settleAfter(() => controller.abort(), running);
    report('cancel (TERM ignored)', latencyMs);
    assert.equal(result.outcome, 'cancelled');
    assert.ok(latencyMs >= 400, `settled after ${latencyMs} ms: too early for a SIGKILL escalation`);
    assert.ok(latencyMs < 1500, `settled ${latencyMs} ms after the cancel`);
    assert.ok(await gone(child), `process ${child} still runs`);
  });

  it('settles on cancel even when a process that left the group keeps the output pipe open', async function () {
    if (!hasSetsid()) this.skip();
    const pidFile = join(dir, 'escaped.pid');
    const controller = new AbortController();
    const running = new NodeExec().run(`setsid sleep 30 & echo $! > "${pidFile}"; sleep 30`, {
      cwd: dir,
      signal: controller.signal,
    });
    const escaped = await waitForPid(pidFile);
    try {
      const { result, latencyMs } = await settleAfter(() => controller.abort(), running);
      report('cancel (pipe held outside the group)', latencyMs);
      assert.equal(result.outcome, 'cancelled');
      assert.ok(latencyMs < 1000, `settled ${latencyMs} ms after the cancel`);
    } finally {
      killQuietly(escaped); // it left our group on purpose, so only the test can end it
    }
  });

  it('times out: kills the command and says so', async () => {
    const result = await new NodeExec().run('echo started; sleep 30', { cwd: dir, timeoutMs: 300 });
    report('timeout 300 ms -> settled at', result.durationMs);
    assert.equal(result.outcome, 'timed-out');
    assert.equal(result.exitCode, null);
    assert.equal(result.output, 'started\n');
    assert.ok(result.durationMs >= 290 && result.durationMs < 1300, `took ${result.durationMs} ms`);
  });

  it('settles when the command exits but leaves a background process holding the output', async () => {
    const pidFile = join(dir, 'leftover.pid');
    const result = await new NodeExec().run(`sleep 30 & echo $! > "${pidFile}"; echo done`, { cwd: dir });
    assert.equal(result.outcome, 'exited');
    assert.equal(result.exitCode, 0);
    assert.equal(result.output, 'done\n');
    assert.ok(result.durationMs < 1000, `took ${result.durationMs} ms`);
    assert.ok(await gone(Number(readFileSync(pidFile, 'utf8'))), 'the leftover process was ended');
  });

  it('fails to start in a folder that does not exist, and never rejects', async () => {
    const result = await new NodeExec().run('echo hi', { cwd: join(dir, 'missing') });
    assert.equal(result.outcome, 'failed-to-start');
    assert.equal(result.exitCode, null);
    assert.match(result.output, /missing/);
    assert.match(result.output, /ENOENT/);
  });

  it('does not start a command whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const marker = join(dir, 'ran');
    const result = await new NodeExec().run(`touch "${marker}"`, { cwd: dir, signal: controller.signal });
    assert.equal(result.outcome, 'cancelled');
    await assert.rejects(fsp.stat(marker));
  });

  it('a throwing output listener does not lose the run', async () => {
    const result = await new NodeExec().run('echo one; echo two', {
      cwd: dir,
      onOutput: () => {
        throw new Error('display broke');
      },
    });
    assert.equal(result.exitCode, 0);
    assert.equal(result.output, 'one\ntwo\n');
  });
});

async function settleAfter(action: () => void, running: Promise<ExecResult>): Promise<{ result: ExecResult; latencyMs: number }> {
  const at = performance.now();
  action();
  const result = await running;
  return { result, latencyMs: Math.round(performance.now() - at) };
}

async function waitForPid(file: string): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid > 0) return pid;
    } catch {
      // not written yet
    }
    await sleep(10);
  }
  throw new Error(`${file} was never written`);
}

/**
 * A killed orphan stays a zombie until its new parent (init, or a subreaper) reaps it, and
 * `process.kill(pid, 0)` succeeds on a zombie. Some container inits reap late, so a zombie
 * counts as gone: it runs no code and holds no files.
 */
async function gone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (!isAlive(pid)) return true;
    await sleep(10);
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false; // ESRCH: gone and reaped
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // Linux: the state is the field after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc (macOS): kill(pid, 0) alone decides, and launchd reaps at once
  }
}

function hasSetsid(): boolean {
  return ['/usr/bin/setsid', '/bin/setsid'].some((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function report(what: string, ms: number): void {
  if (process.env.BATON_REPORT_LATENCY) console.log(`      ${what}: ${ms} ms`);
}
