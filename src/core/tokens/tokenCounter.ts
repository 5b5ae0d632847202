import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import type { EncodingName } from './encodings';

const LONG_RUN = 1000;
const LONG_RUN_PATTERN = new RegExp(`\\p{L}{${LONG_RUN},}`, 'u');
const LONG_RUN_GLOBAL = new RegExp(LONG_RUN_PATTERN.source, 'gu');

/**
 * An encoding's merge table (megabytes of JavaScript), read when first needed rather than parsed
 * with the bundle on every start: esbuild.mjs copies js-tiktoken's tables next to the bundles
 * (dist/tokenizers/); from the TypeScript sources they come from node_modules.
 */
function loadRanks(name: EncodingName): TiktokenBPE {
  const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));
  const copied = join(typeof __dirname === 'string' ? __dirname : process.cwd(), 'tokenizers', `${name}.cjs`);
  const mod = nodeRequire(existsSync(copied) ? copied : nodeRequire.resolve(`js-tiktoken/ranks/${name}`)) as TiktokenBPE | { default: TiktokenBPE };
  return 'default' in mod ? mod.default : mod;
}

// Encodings are large tables: each is loaded on first use only, then shared.
const loaded = new Map<EncodingName, Tiktoken>();

function loadEncoding(name: EncodingName): Tiktoken {
  let enc = loaded.get(name);
  if (!enc) loaded.set(name, (enc = new Tiktoken(loadRanks(name))));
  return enc;
}

/** A text's key among cached counts: the first 16 bytes of its SHA-256, as a latin1 ('binary') string. */
export function countKey(text: string): string {
  return createHash('sha256').update(text).digest('binary').slice(0, COUNT_KEY_BYTES);
}

export const COUNT_KEY_BYTES = 16;

/**
 * Counts tokens exactly with js-tiktoken, caching each count by the text's content hash. `counts`
 * may come from the index cache, so that counts survive the process; the encoder itself is loaded
 * only when a text is not among them.
 */
export class TokenCounter {
  constructor(
    readonly encoding: EncodingName,
    private readonly counts = new Map<string, number>(),
  ) {}

  /**
   * Tokens of `text`. Exact, except that letter runs longer than LONG_RUN characters (DNA in a data
   * file, a minified name) are bounded from above by their UTF-8 length: js-tiktoken's merge is
   * quadratic in a run's length, and an upper bound still keeps every prompt within its budget.
   */
  count(text: string): number {
    const key = countKey(text);
    let n = this.counts.get(key);
    if (n === undefined) n = this.countBounded(text);
    else this.counts.delete(key); // re-added below: the map's order is least recently used first
    this.counts.set(key, n);
    return n;
  }

  private countBounded(text: string): number {
    if (text.length < LONG_RUN || !LONG_RUN_PATTERN.test(text)) return this.encode(text);
    let bound = 0;
    const rest = text.replace(LONG_RUN_GLOBAL, (run) => {
      bound += Buffer.byteLength(run, 'utf8');
      return ' ';
    });
    return this.encode(rest) + bound;
  }

  private encode(text: string): number {
    return loadEncoding(this.encoding).encode(text, 'all').length;
  }

  /** A cheap upper-leaning guess for text that will not be sent (ranking, outlines of what is left out). */
  estimate(text: string): number {
    return Math.ceil(text.length / 3.2);
  }
}
