import { Worker } from 'node:worker_threads';
import { BatonError, CancellationError } from '../core/batonError';
import { BudgetError } from '../core/context/budgetError';
import type { ContextPlanner } from '../core/context/contextPlanner';
import type { ContextPlan, PlanRequest } from '../core/context/engine';
import type { IndexCacheStats } from '../core/context/indexCache';
import { IndexingCancelledError } from '../core/context/timeSlicer';
import type { IndexingControl } from '../core/ports';
import type { CarriedError, PlanWorkerReply, PlanWorkerRequest, PlanWorkerStart } from './planWorkerMessages';

type Question = PlanWorkerRequest extends infer R ? (R extends PlanWorkerRequest ? Omit<R, 'id'> : never) : never;
type Answer<T extends PlanWorkerReply['type']> = Extract<PlanWorkerReply, { type: T }>;
type Pending = { expect: PlanWorkerReply['type']; resolve(reply: PlanWorkerReply): void; reject(err: Error): void };

/** What a retired planner hands its later requests to: the folder's planner of the day. */
export type Successor = () => Promise<WorkerPlanner>;

/**
 * A workspace folder's context engine in a worker thread (planWorker.js): the caller's thread only
 * posts requests and receives plans, so indexing and planning never hold it. When a newer index
 * takes its place, retire() stops the worker once nothing waits on it, and a request made after that
 * (a run still holding this planner) goes to the successor, planned on the folder as it is then.
 */
export class WorkerPlanner implements ContextPlanner {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private successor: Successor | undefined;
  /** Why the worker is gone (retired, disposed, or it stopped on its own); undefined while it runs. */
  private gone: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly root: string,
    readonly fileCount: number,
    /** What the indexing took from the index cache (undefined without a cache). */
    readonly cacheStats: IndexCacheStats | undefined,
  ) {
    worker.on('message', (reply: PlanWorkerReply) => {
      if (!('id' in reply)) return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(revive(reply.error));
      else if (reply.type !== waiting.expect)
        waiting.reject(new BatonError('bug', `The context engine's worker answered ${reply.type} to a ${waiting.expect} request.`));
      else waiting.resolve(reply);
      this.stopIfRetiredAndIdle();
    });
    worker.on('error', (err) => this.stop(workerFailed(err)));
    worker.on('exit', (code) => this.stop(new BatonError('bug', `The context engine's worker stopped (exit code ${code}) before it answered.`)));
  }

  /**
   * Starts a worker from `workerFile` that scans and indexes `start.root`. `control` sees the
   * indexing's progress; aborting it stops the worker and rejects with an IndexingCancelledError.
   */
  static open(workerFile: string, start: PlanWorkerStart, control: IndexingControl = {}): Promise<WorkerPlanner> {
    const worker = new Worker(workerFile, { workerData: start });
    return new Promise<WorkerPlanner>((resolve, reject) => {
      const settle = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        control.signal?.removeEventListener('abort', abort);
      };
      const fail = (err: Error): void => {
        settle();
        void worker.terminate();
        reject(err);
      };
      const abort = (): void => fail(new IndexingCancelledError());
      const onError = (err: Error): void => fail(workerFailed(err));
      const onExit = (code: number): void =>
        fail(new BatonError('bug', `The context engine's worker stopped (exit code ${code}) before it indexed ${start.root}.`));
      const onMessage = (reply: PlanWorkerReply): void => {
        if (reply.type === 'progress') control.onProgress?.(reply.progress);
        else if (reply.type === 'openFailed') fail(revive(reply.error));
        else if (reply.type === 'opened') {
          settle();
          resolve(new WorkerPlanner(worker, start.root, reply.fileCount, reply.cacheStats));
        }
      };
      if (control.signal?.aborted) return abort();
      control.signal?.addEventListener('abort', abort, { once: true });
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  /** Whether the worker is gone: retired and idle, disposed, or it stopped on its own. */
  get stopped(): boolean {
    return this.gone !== undefined;
  }

  async plan(request: PlanRequest): Promise<ContextPlan> {
    if (this.successor && this.gone) return (await this.successor()).plan(request);
    return (await this.ask({ type: 'plan', request }, 'planned')).plan;
  }

  async pathRefusals(paths: readonly string[]): Promise<(string | undefined)[]> {
    if (this.successor && this.gone) return (await this.successor()).pathRefusals(paths);
    return (await this.ask({ type: 'pathRefusals', paths }, 'pathRefusals')).refusals;
  }

  /** Writes what the cache lacks for the next session; returns the problems met (never throws for them). */
  async saveCache(): Promise<string[]> {
    if (this.gone) return [];
    return (await this.ask({ type: 'saveCache' }, 'cacheSaved')).problems;
  }

  /** A newer index took this one's place: the worker stops once nothing waits on it; later requests go to `successor`. */
  retire(successor: Successor): void {
    this.successor = successor;
    this.stopIfRetiredAndIdle();
  }

  /** Stops the worker now (the folder was closed, or Baton was): what waits on it is cancelled. */
  dispose(): void {
    this.stop(new CancellationError('Cancelled: the workspace folder or Baton was closed.'));
  }

  private ask<T extends PlanWorkerReply['type']>(question: Question, expect: T): Promise<Answer<T>> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<PlanWorkerReply>((resolve, reject) => {
      this.pending.set(id, { expect, resolve, reject });
      try {
        this.worker.postMessage({ ...question, id });
      } catch (err) {
        this.pending.delete(id);
        reject(new BatonError('bug', `Could not send the ${question.type} request to the context engine's worker: ${(err as Error).message}`, { cause: err }));
        this.stopIfRetiredAndIdle();
      }
    }) as Promise<Answer<T>>;
  }

  private stopIfRetiredAndIdle(): void {
    if (this.successor && this.pending.size === 0) this.stop(new BatonError('bug', 'This index was replaced by a newer one.'));
  }

  private stop(why: Error): void {
    if (this.gone) return;
    this.gone = why;
    for (const waiting of this.pending.values()) waiting.reject(why);
    this.pending.clear();
    void this.worker.terminate();
  }
}

function workerFailed(err: Error): BatonError {
  return new BatonError('bug', `The context engine's worker failed: ${err.message}`, { cause: err });
}

/** The worker's error as the caller's code expects it: a budget refusal is a BudgetError, the rest keep their kind, name and stack. */
function revive(error: CarriedError): Error {
  if (error.budget) return new BudgetError(error.message);
  const revived = new BatonError(error.kind, error.message);
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}
