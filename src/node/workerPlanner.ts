import { Worker } from 'node:worker_threads';
import { BatonError } from '../core/batonError';
import { BudgetError } from '../core/context/budgetError';
import type { ContextPlanner } from '../core/context/contextPlanner';
import type { ContextPlan, PlanRequest } from '../core/context/engine';
import type { IndexCacheStats } from '../core/context/indexCache';
import { IndexingCancelledError } from '../core/context/timeSlicer';
import type { IndexingControl } from '../core/ports';
import type { CarriedError, PlanWorkerReply, PlanWorkerRequest, PlanWorkerStart } from './planWorkerMessages';

type Pending = { resolve(reply: PlanWorkerReply): void; reject(err: Error): void };

interface Started {
  worker: Worker;
  fileCount: number;
  cacheStats: IndexCacheStats | undefined;
}

/**
 * A workspace folder's context engine in a worker thread (planWorker.js): the caller's thread only
 * posts requests and receives plans, so indexing and planning never hold it. retire() stops the
 * worker once no request is waiting; a request after that (a run still holding this planner) starts
 * a new worker on the folder as it is then.
 */
export class WorkerPlanner implements ContextPlanner {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private retired = false;
  private restarting: Promise<Worker> | undefined;

  private constructor(
    private worker: Worker | undefined,
    private readonly workerFile: string,
    private readonly start: PlanWorkerStart,
    readonly fileCount: number,
    /** What the indexing took from the index cache (undefined without a cache). */
    readonly cacheStats: IndexCacheStats | undefined,
  ) {
    if (worker) this.listen(worker);
  }

  /**
   * Starts a worker from `workerFile` that scans and indexes `start.root`. `control` sees the
   * indexing's progress; aborting it stops the worker and rejects with an IndexingCancelledError.
   */
  static async open(workerFile: string, start: PlanWorkerStart, control: IndexingControl = {}): Promise<WorkerPlanner> {
    const { worker, fileCount, cacheStats } = await startWorker(workerFile, start, control);
    return new WorkerPlanner(worker, workerFile, start, fileCount, cacheStats);
  }

  get root(): string {
    return this.start.root;
  }

  async plan(request: PlanRequest): Promise<ContextPlan> {
    const reply = await this.ask({ type: 'plan', id: 0, request });
    return (reply as Extract<PlanWorkerReply, { type: 'planned' }>).plan;
  }

  async pathRefusals(paths: readonly string[]): Promise<(string | undefined)[]> {
    const reply = await this.ask({ type: 'pathRefusals', id: 0, paths });
    return (reply as Extract<PlanWorkerReply, { type: 'pathRefusals' }>).refusals;
  }

  /** Writes what the cache lacks for the next session; returns the problems met (never throws for them). */
  async saveCache(): Promise<string[]> {
    const reply = await this.ask({ type: 'saveCache', id: 0 });
    return (reply as Extract<PlanWorkerReply, { type: 'cacheSaved' }>).problems;
  }

  /** A newer index took this one's place: its worker stops once nothing waits on it. */
  retire(): void {
    this.retired = true;
    this.stopIfIdle();
  }

  private async ask(question: PlanWorkerRequest): Promise<PlanWorkerReply> {
    this.restarting ??= this.worker
      ? undefined
      : startWorker(this.workerFile, this.start).then(
          ({ worker }) => this.listen(worker),
          (err: unknown) => {
            this.restarting = undefined;
            throw err;
          },
        );
    const worker = this.worker ?? (await this.restarting!);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...question, id });
    });
  }

  private listen(worker: Worker): Worker {
    this.worker = worker;
    this.restarting = undefined;
    worker.on('message', (reply: PlanWorkerReply) => {
      if (!('id' in reply)) return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting?.reject(revive(reply.error));
      else waiting?.resolve(reply);
      this.stopIfIdle();
    });
    const lost = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => lost(new BatonError('bug', `The context engine's worker failed: ${err.message}`, { cause: err })));
    worker.on('exit', () => lost(new BatonError('bug', "The context engine's worker stopped before it answered.")));
    return worker;
  }

  private stopIfIdle(): void {
    if (!this.retired || this.pending.size > 0 || !this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    void worker.terminate();
  }
}

/** A worker that has indexed `start.root`, with what it found. */
function startWorker(workerFile: string, start: PlanWorkerStart, control: IndexingControl = {}): Promise<Started> {
  const worker = new Worker(workerFile, { workerData: start });
  return new Promise<Started>((resolve, reject) => {
    const settle = (): void => {
      worker.off('message', onMessage);
      worker.off('error', fail);
      control.signal?.removeEventListener('abort', abort);
    };
    const fail = (err: Error): void => {
      settle();
      void worker.terminate();
      reject(err);
    };
    const abort = (): void => fail(new IndexingCancelledError());
    const onMessage = (reply: PlanWorkerReply): void => {
      if (reply.type === 'progress') control.onProgress?.(reply.progress);
      else if (reply.type === 'openFailed') fail(revive(reply.error));
      else if (reply.type === 'opened') {
        settle();
        resolve({ worker, fileCount: reply.fileCount, cacheStats: reply.cacheStats });
      }
    };
    if (control.signal?.aborted) return abort();
    control.signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', fail);
  });
}

/** The worker's error as the caller's code expects it: a BudgetError is one, the rest keep their kind. */
function revive(error: CarriedError): Error {
  if (error.name === BudgetError.name) return new BudgetError(error.message);
  if (error.name === IndexingCancelledError.name) return new IndexingCancelledError();
  const revived = new BatonError(error.kind, error.message);
  revived.name = error.name;
  return revived;
}
