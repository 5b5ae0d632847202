import { realpathSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { ToolInputError } from './toolInputError';

/** A workspace folder tools may work in: one the person opened or named when starting the server. */
export interface WorkspaceRoot {
  name: string;
  /** Its real path (links resolved). */
  path: string;
}

export function workspaceRoot(path: string): WorkspaceRoot {
  const real = realpathSync.native(path);
  return { name: basename(real), path: real };
}

/**
 * The root a tool call names, by absolute path or folder name; the only one when none is named.
 * Anything else (a folder outside the workspace, a subfolder, a link leading elsewhere) is refused.
 */
export function chooseRoot(roots: readonly WorkspaceRoot[], requested: string | undefined): WorkspaceRoot {
  const listed = roots.map((r) => r.path).join(', ');
  if (requested === undefined) {
    if (roots.length === 1) return roots[0]!;
    throw new ToolInputError(roots.length ? `Give "root": one of ${listed}.` : 'No workspace folder is open: open a folder first.');
  }
  let real: string | undefined;
  if (isAbsolute(requested)) {
    try {
      real = realpathSync.native(requested);
    } catch {
      real = undefined;
    }
  }
  const found = roots.filter((r) => (real !== undefined ? r.path === real : r.name === requested));
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new ToolInputError(`"root": ${requested} names ${found.length} workspace folders; give the absolute path, one of ${listed}.`);
  throw new ToolInputError(`"root": ${requested} is not a workspace folder Baton serves; roots outside the workspace are refused. Use one of ${listed}.`);
}
