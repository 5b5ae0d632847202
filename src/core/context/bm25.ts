import { collectTerms, termFrequencies } from './terms';

// Okapi BM25 parameters; b is low because long source files are often long for good reason.
const K1 = 1.2;
const B = 0.5;

/** A BM25 index over documents (files, or pieces of files scored against the same statistics). */
export class Bm25Index {
  private readonly docs: { tf: Map<string, number>; length: number }[] = [];
  private readonly df = new Map<string, number>();
  private totalLength = 0;

  add(text: string): number {
    const tf = termFrequencies(text);
    let length = 0;
    for (const [term, n] of tf) {
      length += n;
      this.df.set(term, (this.df.get(term) ?? 0) + 1);
    }
    this.docs.push({ tf, length });
    this.totalLength += length;
    return this.docs.length - 1;
  }

  get size(): number {
    return this.docs.length;
  }

  /** Inverse document frequency of a term over the whole index (0 for unknown terms). */
  idf(term: string): number {
    const n = this.df.get(term);
    if (!n) return 0;
    return Math.log(1 + (this.docs.length - n + 0.5) / (n + 0.5));
  }

  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /** BM25 of every document for the query terms (weight per term, e.g. repeated mentions). */
  scoreAll(query: Map<string, number>): Float64Array {
    const scores = new Float64Array(this.docs.length);
    const avg = this.totalLength / Math.max(1, this.docs.length);
    const weighted = [...query].map(([term, w]) => ({ term, w, idf: this.idf(term) })).filter((q) => q.idf > 0);
    this.docs.forEach((doc, i) => {
      let s = 0;
      for (const { term, w, idf } of weighted) {
        const f = doc.tf.get(term);
        if (f) s += w * idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * doc.length) / avg)));
      }
      scores[i] = s;
    });
    return scores;
  }

  /**
   * BM25 of an arbitrary text (e.g. one function) against this index's term statistics; `avgLength`
   * is the average length of the texts it is compared with (chunks are far shorter than files).
   */
  scoreText(text: string, query: Map<string, number>, avgLength: number): number {
    // Only the query's terms are counted: chunks are scored by the hundred on every plan.
    const tf = new Map<string, number>();
    let length = 0;
    collectTerms(text, (t) => {
      length++;
      if (query.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    });
    const avg = Math.max(1, avgLength);
    let s = 0;
    for (const [term, f] of tf) s += query.get(term)! * this.idf(term) * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / avg)));
    return s;
  }

  /** The terms a document holds (for the reference graph). */
  termsOf(doc: number): Iterable<string> {
    return this.docs[doc]?.tf.keys() ?? [];
  }

  has(doc: number, term: string): boolean {
    return this.docs[doc]?.tf.has(term) ?? false;
  }
}
