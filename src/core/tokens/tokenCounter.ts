import { createHash } from 'node:crypto';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import type { EncodingName } from './encodings';

const LONG_RUN = 1000;
const LONG_RUN_PATTERN = new RegExp(`\\p{L}{${LONG_RUN},}`, 'u');
const LONG_RUN_GLOBAL = new RegExp(LONG_RUN_PATTERN.source, 'gu');

// Encodings are large tables: each is loaded on first use only, then shared.
const loaded = new Map<EncodingName, Tiktoken>();

function loadEncoding(name: EncodingName): Tiktoken {
  let enc = loaded.get(name);
  if (!enc) {
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy load keeps start-up cheap */
    const mod: TiktokenBPE | { default: TiktokenBPE } =
      name === 'o200k_base' ? require('js-tiktoken/ranks/o200k_base') : require('js-tiktoken/ranks/cl100k_base');
    const ranks = 'default' in mod ? mod.default : mod;
    /* eslint-enable @typescript-eslint/no-require-imports */
    enc = new Tiktoken(ranks);
    loaded.set(name, enc);
  }
  return enc;
}

/** Counts tokens exactly with js-tiktoken, caching each count by the text's content hash. */
export class TokenCounter {
  private readonly cache = new Map<string, number>();

  constructor(readonly encoding: EncodingName) {}

  /**
   * Tokens of `text`. Exact, except that letter runs longer than LONG_RUN characters (DNA in a data
   * file, a minified name) are bounded from above by their UTF-8 length: js-tiktoken's merge is
   * quadratic in a run's length, and an upper bound still keeps every prompt within its budget.
   */
  count(text: string): number {
    if (text.length < 64) return this.encode(text);
    const key = createHash('sha1').update(text).digest('base64');
    let n = this.cache.get(key);
    if (n === undefined) {
      n = this.countBounded(text);
      this.cache.set(key, n);
    }
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
