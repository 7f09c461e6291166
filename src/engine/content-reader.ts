import type { DetectOptions } from '../detect/detect';
import { Fragmenter } from '../fragments/fragmenter';
import type { Rule, ScanOutcome } from '../types';
import { contentFlagsOf, MAX_BINARY_BYTES, scanBinaryContent, wantsBinary } from './binary-content';
import { detectInto } from './decode-stage';

/**
 * The one fragmenter for content that streams in (git blobs, standard input), with binary content kept for
 * binary-content.ts instead of dropped: while the fragmenter has not decided the kind, the chunks are held (by
 * reference: it is decided within the first 8000 bytes); once it says binary, the head says whether the content is
 * worth keeping (an archive or a binary to read strings from, within MAX_BINARY_BYTES), and `end()` scans it whole.
 * Chunks are only referenced until `end()` returns, so a caller may reuse its buffer after that (cat-file's assembly).
 */
export class ContentReader {
  private readonly fragmenter: Fragmenter;
  private held: Buffer[] = [];
  private kept: Buffer[] | undefined;
  private keptBytes = 0;
  /** Set once the content is known not to be kept (text, media, flags off, over the cap). */
  private dropped = false;

  constructor(
    private readonly key: string,
    private readonly out: ScanOutcome,
    private readonly rules: readonly Rule[],
    private readonly options: DetectOptions,
    /** The content's size when known (a blob's); unknown for a stream. */
    private readonly size?: number,
  ) {
    this.fragmenter = new Fragmenter(key, (fragment) => detectInto(out, fragment, rules, options), size !== undefined ? { size } : {});
    const flags = contentFlagsOf(options);
    if (!flags.archives && !flags.binaryStrings) this.dropped = true;
  }

  get kind(): Fragmenter['kind'] {
    return this.fragmenter.kind;
  }

  get cutLines(): number {
    return this.fragmenter.cutLines;
  }

  write(chunk: Buffer): void {
    const undecided = this.fragmenter.kind === undefined;
    this.fragmenter.write(chunk);
    if (this.dropped) return;
    const kind = this.fragmenter.kind;
    if (kind === undefined) {
      this.held.push(chunk);
    } else if (kind !== 'binary') {
      this.held = [];
      this.dropped = true;
    } else if (this.kept) {
      this.keep(chunk);
    } else if (undecided) {
      const head = [...this.held, chunk];
      this.held = [];
      this.start(head);
    }
  }

  /** The content has ended: the fragmenter's last fragment, then binary content kept, scanned. */
  end(): void {
    this.fragmenter.end();
    if (!this.dropped && this.fragmenter.kind === 'binary' && !this.kept) this.start(this.held);
    this.held = [];
    const kept = this.kept;
    this.kept = undefined;
    if (!kept || this.dropped) return;
    scanBinaryContent(this.key, kept.length === 1 ? kept[0] : Buffer.concat(kept, this.keptBytes), this.rules, this.options, this.out);
  }

  /** Binary: keep it when its head (all of it held so far, at least the sniffed 8000 bytes or the whole) says so. */
  private start(chunks: Buffer[]): void {
    const head = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    if (!wantsBinary(this.key, head, this.size ?? head.length, contentFlagsOf(this.options), this.out)) {
      this.dropped = true;
      return;
    }
    this.kept = [];
    for (const chunk of chunks) this.keep(chunk);
  }

  private keep(chunk: Buffer): void {
    if (this.dropped || !this.kept) return;
    this.keptBytes += chunk.length;
    // A stream's size is learnt as it comes: past the cap, what was kept is let go and the cap is named once.
    if (this.keptBytes > MAX_BINARY_BYTES) {
      wantsBinary(this.key, this.kept[0] ?? chunk, this.keptBytes, contentFlagsOf(this.options), this.out);
      this.kept = undefined;
      this.dropped = true;
      return;
    }
    this.kept.push(chunk);
  }
}
