// The context engine in a worker thread: the editor's indexing and plans run here, so that neither
// the scan, the tokenizer's tables nor the index's garbage collection hold the extension host's
// thread. Started by WorkerPlanner (workerPlanner.ts) with a PlanWorkerStart as its workerData;
// indexing is cancelled by terminating the worker.
import { parentPort, workerData } from 'node:worker_threads';
import { errorKind } from '../core/batonError';
import { BudgetError } from '../core/context/budgetError';
import { ContextEngine } from '../core/context/engine';
import { NodeIndexCacheStore } from './nodeIndexCacheStore';
import type { CarriedError, PlanWorkerReply, PlanWorkerRequest, PlanWorkerStart } from './planWorkerMessages';

const port = parentPort;
if (!port) throw new Error('planWorker.js runs only as a worker thread');
const start = workerData as PlanWorkerStart;
const post = (reply: PlanWorkerReply): void => port.postMessage(reply);
const carried = (err: unknown): CarriedError => ({
  kind: errorKind(err),
  name: err instanceof Error ? err.name : 'Error',
  message: err instanceof Error ? err.message : String(err),
  ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
  budget: err instanceof BudgetError,
});

const opening = ContextEngine.open(start.root, {
  maxFileBytes: start.maxFileBytes,
  cache: start.cacheFolder ? new NodeIndexCacheStore(start.cacheFolder) : undefined,
  onProgress: (progress) => post({ type: 'progress', progress }),
});
opening.then(
  (engine) => post({ type: 'opened', fileCount: engine.fileCount, cacheStats: engine.cacheStats }),
  (err: unknown) => post({ type: 'openFailed', error: carried(err) }),
);

port.on('message', (message: PlanWorkerRequest) => {
  const { id } = message;
  void opening
    .then(async (engine): Promise<PlanWorkerReply> => {
      if (message.type === 'plan') return { type: 'planned', id, plan: await engine.plan(message.request) };
      if (message.type === 'pathRefusals') return { type: 'pathRefusals', id, refusals: await engine.pathRefusals(message.paths) };
      return { type: 'cacheSaved', id, problems: await engine.saveCache() };
    })
    .catch((err: unknown): PlanWorkerReply => ({ type: 'failed', id, error: carried(err) }))
    .then(post);
});
