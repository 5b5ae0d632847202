// One answer, for the editor and the command line alike, to "may Baton touch this path?". The
// repository is not trusted: its symbolic links can point anywhere, and a file the maker names may
// sit behind one. So every read, write and delete first walks the path on disk, part by part:
// whatever leaves the workspace folder is refused, and a write or delete through a link happens
// only after the person approved that exact link. Where the file system ignores case (macOS,
// Windows) names are compared without case and after Unicode NFC normalisation; elsewhere two
// spellings are two files, and folding them could call a folder outside the workspace inside.
import type { DiskEntry, PathInspector, PathLink, ResolvedPath } from '../ports';
import { workspacePathProblem } from './workspacePath';
import { BatonError } from '../batonError';

export type PathAction = 'read' | 'write' | 'delete';

export interface PathRefusal {
  path: string;
  reason: string;
}

/** The person's yes to writing through links; in the editor a notification naming each link. */
export interface LinkApproval {
  /** Resolves true only when the person approves writing these paths through the links named in them. */
  approve(paths: readonly ResolvedPath[], action: 'write' | 'delete'): Promise<boolean>;
}

export interface PathPolicyOptions {
  /** Asked before a write or delete through a link; without it such writes are refused. */
  approval?: LinkApproval;
  /** Set where no link may be on the way at all, even to read (Baton's state): why, for the message. */
  noLinks?: string;
}

export class PathRefusedError extends BatonError {
  constructor(
    readonly action: PathAction,
    readonly refusals: readonly PathRefusal[],
    advice?: string,
  ) {
    const listed = refusals.map((r) => `"${r.path}": ${r.reason}`).join('; ');
    super('refused', `Baton refused to ${action} ${listed}.${advice ? ` ${advice}` : ''}`);
  }

  get paths(): string[] {
    return this.refusals.map((r) => r.path);
  }
}

export class PathPolicy {
  private readonly approved = new Set<string>();

  constructor(
    private readonly disk: PathInspector,
    private readonly options: PathPolicyOptions = {},
  ) {}

  /**
   * Where each path leads, or PathRefusedError naming every path refused and why. For a write or
   * delete, links on the way not approved before are put to the person once, all together.
   */
  async authorise(paths: readonly string[], action: PathAction): Promise<ResolvedPath[]> {
    const resolved: ResolvedPath[] = [];
    const refusals: PathRefusal[] = [];
    for (const path of paths) {
      const result = await this.resolve(path, action);
      if ('reason' in result) refusals.push(result);
      else if (this.options.noLinks && result.links.length > 0) refusals.push({ path, reason: `${describeLinks(result.links)}: ${this.options.noLinks}` });
      else resolved.push(result);
    }
    if (refusals.length > 0) throw new PathRefusedError(action, refusals);
    if (action === 'read') return resolved;

    const unapproved = resolved.filter((r) => r.links.some((link) => !this.approved.has(linkKey(link))));
    if (unapproved.length === 0) return resolved;
    const approval = this.options.approval;
    if (!approval) {
      throw new PathRefusedError(
        action,
        unapproved.map((r) => ({ path: r.path, reason: `${describeLinks(r.links)}, and Baton writes through a link only after you approve it in the editor` })),
      );
    }
    if (!(await approval.approve(unapproved, action))) {
      throw new PathRefusedError(
        action,
        unapproved.map((r) => ({ path: r.path, reason: `${describeLinks(r.links)}, and writing through it was not approved` })),
      );
    }
    for (const r of unapproved) for (const link of r.links) this.approved.add(linkKey(link));
    return resolved;
  }

  /** Walks the path part by part on disk: where it really leads and which links are on the way. */
  private async resolve(path: string, action: PathAction): Promise<ResolvedPath | PathRefusal> {
    const problem = workspacePathProblem(path);
    if (problem) return { path, reason: problem };
    const root = await this.disk.realRoot();
    const caseInsensitive = await this.disk.caseInsensitive();
    const segments = path.split('/');
    const links: PathLink[] = [];
    let real: string[] = []; // the real workspace-relative segments of the part walked so far
    let last: DiskEntry = { kind: 'folder' };
    for (let i = 0; i < segments.length; i++) {
      const prefix = segments.slice(0, i + 1).join('/');
      const final = i === segments.length - 1;
      const entry = await this.disk.entry(prefix);
      if (entry.kind === 'absent') {
        real = [...real, ...segments.slice(i)];
        last = entry;
        break;
      }
      if (entry.kind === 'link' && !(final && action === 'delete')) {
        // Deleting a link removes the link itself; anything else goes where it leads.
        const target = await this.disk.realPath(prefix);
        if (target === undefined) return { path, reason: `the symbolic link "${prefix}" on the way leads nowhere (its target is missing, or links loop)` };
        const inside = insideRoot(root, target, caseInsensitive);
        if (inside === undefined) return { path, reason: `the symbolic link "${prefix}" on the way leads outside the workspace folder (to ${target})` };
        real = inside;
        links.push({ kind: 'symbolic', path: prefix, leadsTo: inside.join('/') });
        last = await this.disk.entry(inside.join('/')); // a real path: no link left on it
        if (!final && last.kind !== 'folder') return { path, reason: `"${prefix}" leads to "${inside.join('/')}", which is not a folder` };
        continue;
      }
      real = [...real, segments[i]!];
      last = entry;
      if (!final && entry.kind === 'file') return { path, reason: `"${prefix}" is a file, not a folder` };
      if (!final && entry.kind === 'other') return { path, reason: `"${prefix}" is not a folder (a pipe, socket or device)` };
    }
    const realPath = real.join('/');
    if (realPath === '') return { path, reason: 'it leads to the workspace folder itself' };
    if (last.kind === 'other' && action !== 'delete')
      return { path, reason: `${realPath === path ? 'it' : `"${realPath}"`} is not a regular file (a pipe, socket or device)` };
    if (action === 'write' && last.kind === 'folder') return { path, reason: `${realPath === path ? 'it' : `"${realPath}"`} is a folder` };
    if (action === 'write' && last.kind === 'file' && last.names > 1) links.push({ kind: 'hard', path: realPath, names: last.names });
    return { path, realPath, links };
  }
}

/** "the symbolic link "docs" (to "notes")", for messages. */
export function describeLinks(links: readonly PathLink[]): string {
  return links
    .map((link) =>
      link.kind === 'symbolic'
        ? `it goes through the symbolic link "${link.path}" (to "${link.leadsTo}")`
        : `"${link.path}" has ${link.names} names (hard links), so writing it changes the file under every one of them, wherever they are`,
    )
    .join(', and ');
}

function linkKey(link: PathLink): string {
  return link.kind === 'symbolic' ? `s:${link.path}\0${link.leadsTo}` : `h:${link.path}\0${link.names}`;
}

/**
 * The segments of `target` below `root` (both absolute, '/'-separated), or undefined when it is
 * not inside. Compared part by part; folded (NFC, lower case) only where the file system folds.
 */
function insideRoot(root: string, target: string, caseInsensitive: boolean): string[] | undefined {
  const fold = (segment: string): string => (caseInsensitive ? segment.normalize('NFC').toLowerCase() : segment);
  const rootParts = absoluteSegments(root);
  const targetParts = absoluteSegments(target);
  if (targetParts.length < rootParts.length) return undefined;
  if (!rootParts.every((part, i) => fold(part) === fold(targetParts[i]!))) return undefined;
  return targetParts.slice(rootParts.length); // as on disk: NFC is for comparing, never for naming
}

/** "/a/b/" -> ['', 'a', 'b'], "C:/a" -> ['C:', 'a']: empty parts only where the root is. */
function absoluteSegments(path: string): string[] {
  return path.split('/').filter((part, i) => i === 0 || part !== '');
}
