/** How a region was encoded; a chain lists them outermost first (`base64` then `percent` = base64 of percent-encoded). */
export type Encoding = 'base64' | 'percent' | 'unicode-escape' | 'html-entity';

/** One decoder's output for one span of its input bytes. Offsets are byte offsets in the input. */
export interface DecodedSpan {
  /** Span of the input the decoder read. */
  start: number;
  end: number;
  bytes: Buffer;
  /**
   * The input offset decoded byte `i` came from; `originOf(bytes.length)` is `end`. A function, so a span that is
   * dropped (most base64 runs) never builds a table.
   */
  originOf(i: number): number;
  /**
   * Decoded offsets where an escape was replaced (ascending), so that a keyword in the untouched text around an
   * escape is not reported again as "decoded"; `undefined` when every byte was decoded (base64).
   */
  changed?: Int32Array;
}

export interface Decoder {
  readonly encoding: Encoding;
  /**
   * Where the first span `decode` could yield starts, or -1 when it would yield none: a search that allocates
   * nothing (a native `indexOf` pass or a skipping byte search), so text with nothing encoded (almost all text)
   * costs no generator, closure or string.
   */
  firstCandidate(bytes: Buffer): number;
  /**
   * Spans of `bytes` that could hold encoded text, decoded; ascending and disjoint. `from` is what `firstCandidate`
   * returned for these bytes (nothing before it is decoded), so the search is not made twice.
   */
  decode(bytes: Buffer, from?: number): Iterable<DecodedSpan>;
}

/** A decoded region of a fragment that holds a rule keyword: what the engine scans, and how to point back. */
export interface DecodedRegion {
  /** Outermost first, at most `maxDepth` long. */
  chain: Encoding[];
  /** Span of the encoded text in the original fragment's bytes. */
  start: number;
  end: number;
  /** Decoded bytes (UTF-8 for escapes of code points). */
  bytes: Buffer;
  /**
   * `origin[i]`: byte offset in the original fragment of decoded byte `i` (length `bytes.length + 1`). Exact per
   * character for percent, escapes and entities; for base64, the character where the byte's bits start.
   */
  origin: Int32Array;
}

export interface DecodeOptions {
  /** Decoding layers at most (default 2: `base64>percent`, `base64>base64`). */
  maxDepth?: number;
  /** Decoded bytes per fragment at most, all layers and decoders counted (default `MAX_DECODED_BYTES`). */
  maxDecodedBytes?: number;
  /** Literal strings a kept region must contain (default: every built-in rule's keywords). */
  keywords?: readonly string[];
}

export interface DecodeOutcome {
  regions: DecodedRegion[];
  /** Bytes decoded, kept or not. */
  decodedBytes: number;
  /** Set when the decoded-bytes cap stopped decoding: names the cap, so the scan says it is incomplete. */
  capped?: string;
}
