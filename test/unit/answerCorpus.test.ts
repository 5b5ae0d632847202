// The corpus of maker answers as real models write them (test/fixtures/answers/<case>/: the file as
// shown, the answer, the expected bytes or the expected refusal). Each answer goes through the real
// `openai` client from the scripted server, is read in the case's answer format and validated by the
// maker's schema, and its edits are resolved against the file as it is when the answer arrives.
// Every unambiguous case must resolve to the exact expected bytes; the figure that matters is the
// number of wrong applications (an edit applied where the case says it must not be, or to other
// bytes than expected), which must be 0.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnswerFormat } from '../../src/core/providers/answerFormats';
import { OpenAICompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { askStructured, StructuredOutputError } from '../../src/core/providers/structured';
import { keepWholeEdits } from '../../src/core/proposals/cutOffEdits';
import { resolveEdits } from '../../src/core/proposals/edits';
import { MakerAnswerSchema } from '../../src/core/proposals/makerSchema';
import { MAKER_TEXT_FORMAT } from '../../src/core/proposals/textEdits';
import { ScriptedServer } from '../support/scriptedServer';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'answers');

interface CaseSpec {
  about: string;
  path: string;
  format: AnswerFormat;
  finishReason: 'stop' | 'length';
  expect: 'resolved' | 'refused';
  rungs?: string[];
  refusal?: string;
  lost?: string;
}

interface Corpus {
  name: string;
  spec: CaseSpec;
  before: string | undefined;
  current: string | undefined;
  answer: string;
  after: string | undefined;
}

type Outcome = { kind: 'resolved'; after: string; rungs: string[]; lost?: string } | { kind: 'refused'; reason: string; lost?: string };

function readCase(name: string): Corpus {
  const file = (part: string): string | undefined => {
    try {
      return readFileSync(path.join(CORPUS, name, part), 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    name,
    spec: JSON.parse(file('case.json')!) as CaseSpec,
    before: file('before'),
    current: file('current'),
    answer: file('answer')!,
    after: file('after'),
  };
}

const cases = readdirSync(CORPUS).sort().map(readCase);

describe('the answer corpus: maker answers as real models write them', () => {
  let server: ScriptedServer;
  let provider: OpenAICompatibleProvider;
  const outcomes = new Map<string, Outcome>();

  before(async () => {
    server = await ScriptedServer.start();
    provider = new OpenAICompatibleProvider({ id: 'vllm', preset: 'vllm', baseURL: server.baseURL });
  });
  after(async () => {
    await server.close();
  });

  async function run(corpus: Corpus): Promise<Outcome> {
    // A model that wrote it once writes it again when re-asked.
    server.defaultReply = { text: corpus.answer, finishReason: corpus.spec.finishReason };
    let answer;
    try {
      answer = await askStructured(
        provider,
        {
          model: 'corpus-model',
          messages: [
            { role: 'system', content: 'You edit code.' },
            { role: 'user', content: corpus.spec.about },
          ],
        },
        MakerAnswerSchema,
        'edits',
        { format: corpus.spec.format, text: MAKER_TEXT_FORMAT, keepWholeParts: keepWholeEdits },
      );
    } catch (error) {
      if (error instanceof StructuredOutputError) return { kind: 'refused', reason: error.message };
      throw error;
    }
    const lost = answer.cutOff;
    // As the maker does: an answer cut off before any whole edit has nothing to propose.
    if (lost && answer.value.edits.length === 0) return { kind: 'refused', reason: 'no whole edit arrived before the cut', lost };
    const onDisk = corpus.current ?? corpus.before;
    const resolved = resolveEdits(answer.value.edits, (p) => (p === corpus.spec.path ? onDisk : undefined));
    if (!resolved.ok) return { kind: 'refused', reason: resolved.problems.join(' '), ...(lost ? { lost } : {}) };
    const change = resolved.changes.find((c) => c.path === corpus.spec.path);
    assert.equal(resolved.changes.length, 1, `${corpus.name}: one file changes`);
    return { kind: 'resolved', after: change!.after, rungs: change!.matches.map((m) => m.rung), ...(lost ? { lost } : {}) };
  }

  for (const corpus of cases) {
    it(`${corpus.name}: ${corpus.spec.about}`, async () => {
      const outcome = await run(corpus);
      outcomes.set(corpus.name, outcome);
      if (corpus.spec.lost) assert.match(outcome.lost ?? '', new RegExp(corpus.spec.lost), 'says what the cut lost');
      if (corpus.spec.expect === 'refused') {
        assert.equal(outcome.kind, 'refused', `${corpus.name} must be refused, but was applied`);
        if (corpus.spec.refusal) assert.match(outcome.kind === 'refused' ? outcome.reason : '', new RegExp(corpus.spec.refusal));
        return;
      }
      assert.equal(outcome.kind, 'resolved', `${corpus.name} must resolve: ${outcome.kind === 'refused' ? outcome.reason : ''}`);
      if (outcome.kind !== 'resolved') return;
      assert.equal(outcome.after, corpus.after, 'the exact expected bytes');
      if (corpus.spec.rungs) assert.deepEqual(outcome.rungs, corpus.spec.rungs, 'the rung each block matched on');
    });
  }

  it('resolves every unambiguous case and applies nothing to the wrong place', () => {
    assert.ok(cases.length >= 40, `the corpus has ${cases.length} cases`);
    assert.equal(outcomes.size, cases.length, 'every case ran');
    let resolved = 0;
    const wrong: string[] = [];
    for (const corpus of cases) {
      const outcome = outcomes.get(corpus.name)!;
      if (outcome.kind !== 'resolved') continue;
      if (corpus.spec.expect === 'resolved' && outcome.after === corpus.after) resolved++;
      else wrong.push(corpus.name);
    }
    const refused = cases.filter((c) => c.spec.expect === 'refused').length;
    console.log(`      answer corpus: resolved ${resolved}/${cases.length}, wrong applications ${wrong.length} (${refused} refused, as they must be)`);
    assert.deepEqual(wrong, [], 'no case is applied to the wrong place');
    assert.equal(resolved, cases.length - refused, 'every unambiguous case resolves');
  });
});
