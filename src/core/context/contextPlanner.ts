import type { ContextPlan, PlanRequest } from './engine';

/**
 * What the task runs, the planner and the tools ask of a workspace folder's context engine. The
 * engine itself (engine.ts) is one; the editor's is one in a worker thread (src/node/workerPlanner.ts),
 * so that indexing and planning never hold the extension host's thread.
 */
export interface ContextPlanner {
  /** The workspace folder, as an absolute path. */
  readonly root: string;
  /** How many files the index holds. */
  readonly fileCount: number;
  plan(request: PlanRequest): Promise<ContextPlan>;
  /** For each path, why it is not an indexed file of the folder (undefined: it is one). */
  pathRefusals(paths: readonly string[]): Promise<(string | undefined)[]>;
}
