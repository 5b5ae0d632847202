import type { ContextEngine } from '../context/engine';
import { lookupIndexedPath } from '../context/indexedPath';
import { splitLines } from '../context/prompt';
import { SIGNATURE_LINES } from './findDefinitionsTool';
import { redactSnippets } from './redactedSnippets';
import type { OutlineInput, OutlineOutput } from './toolSchemas';
import type { WorkspaceRoot } from './workspaceRoots';

const DEFAULT_MAX_TOKENS = 2000;

type OutlineFile = OutlineOutput['files'][number];
type OutlineEntry = OutlineFile['definitions'][number];

/**
 * outline: each file's definitions in line order, as signature lines with their ranges. Files are
 * outlined in the order asked; a definition that no longer fits under the cap is cut and counted,
 * never split.
 */
export async function outlineForTool(engine: ContextEngine, root: WorkspaceRoot, input: OutlineInput): Promise<OutlineOutput> {
  const counter = engine.counter(input.model);
  const maxTokens = input.maxTokens ?? DEFAULT_MAX_TOKENS;
  const files: OutlineFile[] = [];
  let used = 0;
  for (const path of new Set(input.paths)) {
    const found = lookupIndexedPath(engine.index, path);
    if ('refused' in found) {
      files.push({ path, definitions: [], refused: found.refused });
      continue;
    }
    const lines = splitLines(found.file.text);
    const extents = [...(await engine.definitionExtents(found.file))].sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
    const signatures = await redactSnippets(
      extents.map((e) =>
        lines
          .slice(e.startLine - 1, Math.min(e.signatureEnd, e.startLine + SIGNATURE_LINES - 1))
          .map((l) => l.trimEnd())
          .join('\n'),
      ),
    );
    const file: OutlineFile = { path, definitions: [] };
    used += counter.count(renderFileHeading(file));
    for (const [i, e] of extents.entries()) {
      const entry: OutlineEntry = { name: e.name, range: [e.startLine, e.endLine], signature: signatures[i]! };
      const cost = counter.count(renderEntry(entry));
      if (used + cost > maxTokens) {
        file.cut = extents.length - i;
        break;
      }
      file.definitions.push(entry);
      used += cost;
    }
    files.push(file);
  }
  // Pieces counted apart can merge into a token or two more when joined: cut until the whole fits.
  let tokens = counter.count(renderOutline(files));
  while (tokens > maxTokens) {
    const last = [...files].reverse().find((f) => f.definitions.length);
    if (!last) break;
    last.definitions.pop();
    last.cut = (last.cut ?? 0) + 1;
    tokens = counter.count(renderOutline(files));
  }
  return { root: root.path, encoding: counter.encoding, tokens, maxTokens, files };
}

/** The outline as a model reads it: per file a heading, then "start-end  signature" lines. */
export function renderOutline(files: readonly OutlineFile[]): string {
  return files.map((f) => renderFileHeading(f) + f.definitions.map(renderEntry).join('') + renderFileEnd(f)).join('\n');
}

function renderFileHeading(file: OutlineFile): string {
  return `${file.path}\n`;
}

function renderEntry(entry: OutlineEntry): string {
  return `  ${entry.range[0]}-${entry.range[1]}  ${entry.signature.replace(/\n/g, '\n      ')}\n`;
}

function renderFileEnd(file: OutlineFile): string {
  if (file.refused) return `  (refused: ${file.refused})\n`;
  if (file.cut) return `  (${file.cut} more definitions cut for the token cap)\n`;
  return file.definitions.length ? '' : '  (no definitions)\n';
}
