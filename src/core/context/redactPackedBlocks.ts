// Redaction of the context engine's packed file blocks, line by line, so the ledger stays truthful:
// a redacted line keeps its place and line number, the item counts what was replaced, and the
// lines it changed are no longer claimed as shown verbatim.
import type { PackFile, PackedBlock } from './pack';
import { renderFileBlock } from './prompt';
import type { TokenCounter } from '../tokens/tokenCounter';
import { redactSecrets } from '../security/redact';

export interface RedactedBlock {
  block: PackedBlock;
  /** 1-based file lines whose text was changed by redaction. */
  redactedLines: number[];
}

export async function redactPackedBlocks(
  blocks: readonly PackedBlock[],
  files: ReadonlyMap<string, PackFile>,
  counter: TokenCounter,
): Promise<RedactedBlock[]> {
  return Promise.all(blocks.map((block) => redactBlock(block, files.get(block.item.path), counter)));
}

async function redactBlock(block: PackedBlock, file: PackFile | undefined, counter: TokenCounter): Promise<RedactedBlock> {
  if (!file) return { block, redactedLines: [] };
  const shown = block.item.ranges.flatMap(([s, e]) => Array.from({ length: e - s + 1 }, (_, i) => s + i));
  const { text, findings } = await redactSecrets(shown.map((n) => file.lines[n - 1]!).join('\n'));
  if (findings.length === 0) return { block, redactedLines: [] };
  const redactedText = text.split('\n');
  const lines = [...file.lines];
  const redactedLines: number[] = [];
  shown.forEach((n, i) => {
    if (redactedText[i] !== lines[n - 1]) {
      lines[n - 1] = redactedText[i]!;
      redactedLines.push(n);
    }
  });
  const rendered = renderFileBlock(file.path, lines, block.item.ranges, block.item.tier === 'whole', file.fenceLang);
  return { block: { text: rendered, item: { ...block.item, tokens: counter.count(rendered), redacted: findings.length } }, redactedLines };
}

/** The ranges minus the given lines: what is still shown exactly as the file has it. */
export function verbatimRanges(ranges: readonly [number, number][], redactedLines: readonly number[]): [number, number][] {
  if (redactedLines.length === 0) return ranges.map(([s, e]) => [s, e]);
  const removed = new Set(redactedLines);
  const out: [number, number][] = [];
  for (const [s, e] of ranges) {
    let start = -1;
    for (let n = s; n <= e + 1; n++) {
      const keep = n <= e && !removed.has(n);
      if (keep && start < 0) start = n;
      if (!keep && start >= 0) {
        out.push([start, n - 1]);
        start = -1;
      }
    }
  }
  return out;
}
