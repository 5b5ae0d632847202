import { strict as assert } from 'node:assert';
import { getEncoding } from 'js-tiktoken';
import { encodingForModel } from '../../src/core/tokens/encodings';
import { TokenCounter } from '../../src/core/tokens/tokenCounter';

const SAMPLES = [
  '',
  'hello world',
  'def separability_matrix(transform):\n    """Compute the matrix."""\n    return _separable(transform)\n',
  '<|endoftext|> special tokens are text here',
  'naïve café — 日本語のテキスト 🚀 and CRLF\r\nlines\r\n',
  'x'.repeat(900),
  '    '.repeat(200) + '\n\n\n' + '}'.repeat(100),
  // Special tokens back to back, ChatML tokens (plain text to tiktoken's encodings), and the
  // whitespace where tokenizers' split patterns disagree (BOM, line and paragraph separators).
  '<|fim_prefix|><|fim_middle|><|fim_suffix|><|endofprompt|><|endoftext|>',
  '<|im_start|>user<|im_sep|>hi<|im_end|>',
  '  "(\uff89\u0ca5\u76ca\u0ca5\uff09\uff89\ufeff \u253b\u2501\u253b", ',
  'a\u2028b\u2029c \u00a0\u3000 d\ufeff\n\ufeff',
];

describe('tokens', () => {
  for (const encoding of ['cl100k_base', 'o200k_base'] as const) {
    it(`counts exactly as js-tiktoken does (${encoding})`, () => {
      const reference = getEncoding(encoding);
      const counter = new TokenCounter(encoding);
      for (const text of SAMPLES) {
        assert.equal(counter.count(text), reference.encode(text, 'all').length, JSON.stringify(text.slice(0, 40)));
        assert.equal(counter.count(text), reference.encode(text, 'all').length, 'cached count agrees');
      }
    });
  }

  it('bounds letter runs too long to encode quickly from above, and stays fast', () => {
    const counter = new TokenCounter('cl100k_base');
    const reference = getEncoding('cl100k_base');
    const text = `sequence = "${'ACGT'.repeat(2500)}"\nprint(sequence)\n`;
    counter.count('x'.repeat(100)); // loads the encoding (a second on a loaded machine) before the clock starts
    const t0 = performance.now();
    const n = counter.count(text);
    assert.ok(performance.now() - t0 < 2000, 'a 10,000-letter run is counted in well under 2 s');
    const exactOfRest = reference.encode(text.replace(/ACGT/g, ''), 'all').length;
    assert.ok(n >= exactOfRest + 10_000 / 8, `bounded count ${n} is at least the rest plus the run's smallest possible count`);
    assert.ok(n <= exactOfRest + 10_000 + 2, `bounded count ${n} is at most the run's byte length above the rest`);
  });

  it('picks the encoding per model family, cl100k_base for unknown models', () => {
    assert.equal(encodingForModel('gpt-4o-mini'), 'o200k_base');
    assert.equal(encodingForModel('gpt-4.1'), 'o200k_base');
    assert.equal(encodingForModel('gpt-5'), 'o200k_base');
    assert.equal(encodingForModel('o3-mini'), 'o200k_base');
    assert.equal(encodingForModel('openai/gpt-4o'), 'o200k_base');
    assert.equal(encodingForModel('gpt-4'), 'cl100k_base');
    assert.equal(encodingForModel('gpt-3.5-turbo'), 'cl100k_base');
    assert.equal(encodingForModel('llama3.1:8b'), 'cl100k_base');
    assert.equal(encodingForModel(undefined), 'cl100k_base');
  });

  it('gives the two encodings different counts where their vocabularies differ', () => {
    const text = 'Это предложение на русском языке, длинное и со многими словами.';
    assert.notEqual(new TokenCounter('cl100k_base').count(text), new TokenCounter('o200k_base').count(text));
  });
});
