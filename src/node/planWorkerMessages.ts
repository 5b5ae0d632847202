// The messages between a WorkerPlanner (the extension host's thread) and its plan worker
// (planWorker.ts). Everything crossing is plain data; errors cross as their kind, name and message.
import type { ErrorKind } from '../core/batonError';
import type { ContextPlan, PlanRequest } from '../core/context/engine';
import type { IndexCacheStats } from '../core/context/indexCache';
import type { IndexingProgress } from '../core/ports';

/** What the worker is given when it starts (workerData). */
export interface PlanWorkerStart {
  root: string;
  /** baton.context.maxFileBytes; none: the scanner's default. */
  maxFileBytes?: number;
  /** The index cache's folder (NodeIndexCacheStore); none: no cache. */
  cacheFolder?: string;
}

export type PlanWorkerRequest =
  { type: 'plan'; id: number; request: PlanRequest } | { type: 'pathRefusals'; id: number; paths: readonly string[] } | { type: 'saveCache'; id: number };

export interface CarriedError {
  kind: ErrorKind;
  name: string;
  message: string;
  /** The worker's stack, for the log. */
  stack?: string;
  /** A BudgetError: the editor shows its message as the plan's refusal. */
  budget: boolean;
}

export type PlanWorkerReply =
  | { type: 'progress'; progress: IndexingProgress }
  | { type: 'opened'; fileCount: number; cacheStats: IndexCacheStats | undefined }
  | { type: 'openFailed'; error: CarriedError }
  | { type: 'planned'; id: number; plan: ContextPlan }
  | { type: 'pathRefusals'; id: number; refusals: (string | undefined)[] }
  | { type: 'cacheSaved'; id: number; problems: string[] }
  | { type: 'failed'; id: number; error: CarriedError };
