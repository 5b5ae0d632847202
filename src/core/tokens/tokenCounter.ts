import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BytePairEncodingCore, RawBytePairRanks } from 'gpt-tokenizer/BytePairEncodingCore';
import type { EncodingName } from './encodings';

const LONG_RUN = 1000;
const LONG_RUN_PATTERN = new RegExp(`\\p{L}{${LONG_RUN},}`, 'u');
const LONG_RUN_GLOBAL = new RegExp(LONG_RUN_PATTERN.source, 'gu');

// Counts are exactly js-tiktoken's `encode(text, 'all')` (the reference the tests and benchmarks
// count with), computed with gpt-tokenizer's byte-pair encoder, which loads in a third of the time
// and encodes about four times faster. Only its merge tables and merging are used: text is cut into
// pieces with tiktoken's own patterns (as js-tiktoken has them; gpt-tokenizer's differ around some
// whitespace), and special tokens are found here, each counting as one token.
const CONTRACTIONS = "'s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D";
export const PIECE_PATTERNS: Record<EncodingName, string> = {
  cl100k_base: `(${CONTRACTIONS})|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`,
  o200k_base:
    `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(${CONTRACTIONS})?|` +
    `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(${CONTRACTIONS})?|` +
    `\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`,
};
export const SPECIAL_TOKENS: Record<EncodingName, readonly string[]> = {
  cl100k_base: ['<|endoftext|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|endofprompt|>'],
  o200k_base: ['<|endoftext|>', '<|endofprompt|>'],
};

type Ranks = { default: RawBytePairRanks };
// gpt-tokenizer keeps the tokens that start with a byte order mark (U+FEFF) as bytes, then looks
// merged bytes up as text, and text decoding drops a leading mark: "\uFEFFusing" would be taken
// for "using". Those few tokens are looked up as bytes here. (Checked against js-tiktoken on every
// token of both vocabularies in tokens.test.ts.)
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];
interface BytesLookup {
  binarySearch(key: Uint8Array): number;
  bytePairNonUtfSortedEncoder: [Uint8Array, number][];
}

function pieceEncoder(name: EncodingName): BytePairEncodingCore {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy load keeps start-up cheap */
  const { BytePairEncodingCore: Core } = require('gpt-tokenizer/BytePairEncodingCore') as typeof import('gpt-tokenizer/BytePairEncodingCore');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const core = new Core({ bytePairRankDecoder: loadRanks(name).default, tokenSplitRegex: new RegExp(PIECE_PATTERNS[name], 'gu') });
  const byText = (core as unknown as { getBpeRankFromBytes(key: Uint8Array): number | undefined }).getBpeRankFromBytes.bind(core);
  Object.assign(core, {
    getBpeRankFromBytes(key: Uint8Array): number | undefined {
      if (!BYTE_ORDER_MARK.every((b, i) => key[i] === b)) return byText(key);
      const lookup = core as unknown as BytesLookup;
      const at = lookup.binarySearch(key);
      return at === -1 ? undefined : lookup.bytePairNonUtfSortedEncoder[at]![1];
    },
  });
  return core;
}

/**
 * The merge table, kept out of the bundles so that starting Baton does not parse megabytes of it:
 * esbuild.mjs copies the tables next to the bundles (dist/tokenizers/); from sources they come
 * from node_modules.
 */
function loadRanks(name: EncodingName): Ranks {
  const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));
  const copied = join(typeof __dirname === 'string' ? __dirname : process.cwd(), 'tokenizers', `${name}.js`);
  return nodeRequire(existsSync(copied) ? copied : nodeRequire.resolve(`gpt-tokenizer/bpeRanks/${name}`)) as Ranks;
}

// Encodings are large tables: each is loaded on first use only, then shared.
const loaded = new Map<EncodingName, { core: BytePairEncodingCore; special: RegExp }>();

function loadEncoding(name: EncodingName): { core: BytePairEncodingCore; special: RegExp } {
  let enc = loaded.get(name);
  if (!enc) {
    const special = new RegExp(SPECIAL_TOKENS[name].map((t) => t.replace(/\|/g, '\\|')).join('|'), 'g');
    loaded.set(name, (enc = { core: pieceEncoder(name), special }));
  }
  return enc;
}

/** A text's key among cached counts: the first 16 bytes of its SHA-256, as a latin1 ('binary') string. */
export function countKey(text: string): string {
  return createHash('sha256').update(text).digest('binary').slice(0, COUNT_KEY_BYTES);
}

export const COUNT_KEY_BYTES = 16;

/**
 * Counts tokens exactly as js-tiktoken does, caching each count by the text's content hash. `counts`
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
   * file, a minified name) are bounded from above by their UTF-8 length: byte-pair merging is
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
    const { core, special } = loadEncoding(this.encoding);
    let n = 0;
    let from = 0;
    special.lastIndex = 0;
    for (let m = special.exec(text); m; m = special.exec(text)) {
      n += core.countNative(text.slice(from, m.index)) + 1;
      from = m.index + m[0].length;
    }
    return n + core.countNative(from ? text.slice(from) : text);
  }

  /** A cheap upper-leaning guess for text that will not be sent (ranking, outlines of what is left out). */
  estimate(text: string): number {
    return Math.ceil(text.length / 3.2);
  }
}
