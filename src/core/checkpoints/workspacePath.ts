import { workspacePathProblem } from '../security/workspacePath';
import { CheckpointError } from './checkpointError';

// Checkpoints address files the way WorkspaceFiles does: relative, '/'-separated, inside the
// workspace. Anything else could make a restore write outside the person's folder, so it is
// refused before anything is stored or written.

export function checkWorkspacePath(path: string): string {
  const problem = workspacePathProblem(path);
  if (problem) throw new CheckpointError('invalid-path', `Refusing path "${path}": ${problem}.`, [path]);
  return path;
}
