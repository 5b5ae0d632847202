// The shape every secret detector answers with, so detectors stay independent of each other and
// of how redaction rewrites the text.

/** A secret found in a text: [start, end) character offsets and the kind, e.g. "github-token". */
export interface SecretSpan {
  start: number;
  end: number;
  rule: string;
}
