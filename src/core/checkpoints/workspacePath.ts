import { CheckpointError } from './checkpointError';

// Checkpoints address files the way WorkspaceFiles does: relative, '/'-separated, inside the
// workspace. Anything else could make a restore write outside the person's folder, so it is
// refused before anything is stored or written.

export function checkWorkspacePath(path: string): string {
  const problem = workspacePathProblem(path);
  if (problem) throw new CheckpointError('invalid-path', `Refusing path "${path}": ${problem}.`, [path]);
  return path;
}

export function workspacePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'it is empty';
  if (path.includes('\0')) return 'it contains a NUL character';
  if (path.includes('\\')) return "use '/' as the separator, not '\\'";
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute; give a path relative to the workspace';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..')) return "it leaves the workspace through '..'";
  if (segments.some((segment) => segment === '' || segment === '.')) return "it has an empty or '.' segment";
  return undefined;
}
