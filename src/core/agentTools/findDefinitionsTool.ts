import type { Extent } from '../context/chunks';
import type { ContextEngine } from '../context/engine';
import { splitLines } from '../context/prompt';
import { redactSnippets } from './redactedSnippets';
import type { FindDefinitionsInput, FindDefinitionsOutput } from './toolSchemas';
import type { WorkspaceRoot } from './workspaceRoots';

// A name defined in more places than this is listed in part, with the count of the rest.
const MAX_SITES_PER_NAME = 20;
// Signature lines quoted per definition.
export const SIGNATURE_LINES = 3;

/** find_definitions: every indexed definition of each name, with its line range and signature. */
export async function findDefinitionsForTool(engine: ContextEngine, root: WorkspaceRoot, input: FindDefinitionsInput): Promise<FindDefinitionsOutput> {
  const index = engine.index;
  const found = [];
  for (const name of new Set(input.names)) {
    const sites = [...new Map((index.definitions.get(name) ?? []).map((s) => [`${s.file}:${s.line}`, s])).values()].sort(
      (a, b) => index.files[a.file]!.path.localeCompare(index.files[b.file]!.path) || a.line - b.line,
    );
    const listed = [];
    for (const site of sites.slice(0, MAX_SITES_PER_NAME)) {
      const file = index.files[site.file]!;
      const extent = extentAt(await engine.definitionExtents(file), name, site.line);
      const range: [number, number] = extent ? [extent.startLine, extent.endLine] : [site.line, site.line];
      const signatureEnd = extent ? Math.min(extent.signatureEnd, extent.startLine + SIGNATURE_LINES - 1) : site.line;
      const lines = splitLines(file.text).slice(range[0] - 1, signatureEnd);
      listed.push({ path: file.path, range, signature: lines.map((l) => l.trimEnd()).join('\n') });
    }
    const signatures = await redactSnippets(listed.map((d) => d.signature));
    found.push({
      name,
      definitions: listed.map((d, i) => ({ ...d, signature: signatures[i]! })),
      ...(sites.length > listed.length ? { more: sites.length - listed.length } : {}),
    });
  }
  return { root: root.path, results: found };
}

/** The parsed definition of `name` the index found on `line`: the innermost one holding the line. */
function extentAt(extents: readonly Extent[], name: string, line: number): Extent | undefined {
  return extents
    .filter((e) => e.name === name && e.startLine <= line && line <= e.endLine)
    .sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine))[0];
}
