// The text rules of a workspace path, before anything looks at the disk: relative, '/'-separated,
// no '..'. Where the path then really leads is the path policy's question (pathPolicy.ts).

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
