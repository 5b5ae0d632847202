import { collectTerms, termFrequencies } from './terms';

// Okapi BM25 parameters; b is low because long source files are often long for good reason.
const K1 = 1.2;
const B = 0.5;

/** A document's terms as numbers: `terms[i]` (a term id of its index) occurs `counts[i]` times. */
export interface TermCounts {
  terms: Uint32Array;
  counts: Uint32Array;
}

/** Which documents hold each term: term t's documents are at offsets[t]..offsets[t+1]. */
interface Postings {
  offsets: Uint32Array;
  docs: Uint32Array;
  counts: Uint32Array;
}

/**
 * A BM25 index over documents (files, or pieces of files scored against the same statistics).
 * Terms are numbered and each document keeps typed arrays of term ids and counts, in the order the
 * terms first occur: compact, and quick to save and load (indexCache.ts).
 */
export class Bm25Index {
  private readonly ids = new Map<string, number>();
  private readonly termList: string[] = [];
  private df = new Uint32Array(1024);
  private readonly docs: TermCounts[] = [];
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private postings: Postings | undefined;

  /** An index whose term ids start as `terms` (the ones a saved index was written with). */
  static withTerms(terms: readonly string[]): Bm25Index {
    const index = new Bm25Index();
    index.df = new Uint32Array(Math.max(1024, terms.length + (terms.length >> 2)));
    terms.forEach((t, id) => {
      index.ids.set(t, id);
      index.termList.push(t);
    });
    return index;
  }

  add(text: string): number {
    const tf = termFrequencies(text);
    const terms = new Uint32Array(tf.size);
    const counts = new Uint32Array(tf.size);
    let i = 0;
    for (const [term, n] of tf) {
      terms[i] = this.idOf(term);
      counts[i++] = n;
    }
    return this.addTermCounts({ terms, counts });
  }

  /** Adds a document already counted; its ids must be this index's (withTerms, termCounts). */
  addTermCounts(doc: TermCounts): number {
    let length = 0;
    for (let i = 0; i < doc.terms.length; i++) {
      length += doc.counts[i]!;
      this.df[doc.terms[i]!]!++;
    }
    this.docs.push(doc);
    this.lengths.push(length);
    this.totalLength += length;
    this.postings = undefined;
    return this.docs.length - 1;
  }

  get size(): number {
    return this.docs.length;
  }

  /** The term table: term id i is terms[i] (saved indexes keep unused terms until written again). */
  get terms(): readonly string[] {
    return this.termList;
  }

  /** A document's terms and counts (the reference graph walks them; the index cache saves them). */
  termCounts(doc: number): TermCounts {
    return this.docs[doc]!;
  }

  termId(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** Inverse document frequency of a term over the whole index (0 for unknown terms). */
  idf(term: string): number {
    const n = this.documentFrequency(term);
    if (!n) return 0;
    return Math.log(1 + (this.docs.length - n + 0.5) / (n + 0.5));
  }

  documentFrequency(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? 0 : this.df[id]!;
  }

  /** BM25 of every document for the query terms (weight per term, e.g. repeated mentions). */
  scoreAll(query: Map<string, number>): Float64Array {
    const scores = new Float64Array(this.docs.length);
    const avg = this.totalLength / Math.max(1, this.docs.length);
    const postings = this.postingsNow();
    // Term by term in query order: each document's sum is added up in the same order as ever.
    for (const [term, w] of query) {
      const idf = this.idf(term);
      if (idf <= 0) continue;
      const id = this.ids.get(term)!;
      for (let p = postings.offsets[id]!; p < postings.offsets[id + 1]!; p++) {
        const d = postings.docs[p]!;
        const f = postings.counts[p]!;
        scores[d] = scores[d]! + w * idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * this.lengths[d]!) / avg)));
      }
    }
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

  has(doc: number, term: string): boolean {
    const id = this.ids.get(term);
    return id !== undefined && (this.docs[doc]?.terms.includes(id) ?? false);
  }

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.termList.length;
      this.ids.set(term, id);
      this.termList.push(term);
      if (id >= this.df.length) {
        const grown = new Uint32Array(this.df.length * 2);
        grown.set(this.df);
        this.df = grown;
      }
    }
    return id;
  }

  /**
   * Builds the postings every score needs, in slices: `pause` runs between documents. Scoring
   * without it builds them at once.
   */
  async invert(pause: () => Promise<void>): Promise<void> {
    this.postings = undefined;
    const postings = this.emptyPostings();
    for (const [d, doc] of this.docs.entries()) {
      await pause();
      this.post(postings, d, doc);
    }
    this.postings = postings;
  }

  private postingsNow(): Postings {
    if (this.postings) return this.postings;
    const postings = this.emptyPostings();
    this.docs.forEach((doc, d) => this.post(postings, d, doc));
    return (this.postings = postings);
  }

  private emptyPostings(): Postings & { fill: Uint32Array } {
    const termCount = this.termList.length;
    const offsets = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + this.df[t]!;
    const docs = new Uint32Array(offsets[termCount]!);
    return { offsets, docs, counts: new Uint32Array(docs.length), fill: offsets.slice(0, termCount) };
  }

  /** Enters one document into postings being filled in document order. */
  private post(postings: Postings & { fill: Uint32Array }, d: number, doc: TermCounts): void {
    for (let i = 0; i < doc.terms.length; i++) {
      const at = postings.fill[doc.terms[i]!]!++;
      postings.docs[at] = d;
      postings.counts[at] = doc.counts[i]!;
    }
  }
}
