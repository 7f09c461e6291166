/**
 * The assignment block of a key: the lines that configure the same client or service as the key's own line, so
 * that a base URL there says where the key is sent. Read as a reviewer reads a config:
 *
 * - the key's line and adjacent lines, at most NEARBY_LINES either way (the context window, so the block never
 *   reaches past what "nearby" means elsewhere);
 * - a blank line ends it (`.env` files and READMEs separate services by blank lines);
 * - a line indented less than the key's line ends it: going down, that is the end of the object or call (`}`, `)`,
 *   the next YAML list item); going up, it is the line that opens the object or call, which belongs to the block
 *   (`client = OpenAI(base_url=…,`, `- model_name: …`) unless it is a bare parent key ending in `:` (`litellm_params:`);
 * - a line that names another credential (`…API_KEY`, `token`, `secret`, `password`) ends it, so that in
 *   `DEEPSEEK_API_KEY=…` / `DASHSCOPE_API_KEY=…` / `DASHSCOPE_BASE_URL=…` the base URL belongs to the second key only.
 *
 * One line of minified JSON or code is one block. Only the first HEAD bytes of a line are read for its indentation
 * and names, so the cost per candidate is bounded whatever the line lengths.
 */

const HEAD = 256;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const COLON = 0x3a;

/** Names that hold a credential (the key's neighbours of its own kind). */
const CREDENTIAL_NAME = /api[_-]?key|auth[_-]?token|access[_-]?token|secret|passw(?:or)?d/i;

interface LineHead {
  indent: number;
  blank: boolean;
}

function headOf(bytes: Buffer, start: number, end: number): LineHead {
  const limit = Math.min(end, start + HEAD);
  let i = start;
  while (i < limit && (bytes[i] === SPACE || bytes[i] === TAB || bytes[i] === CR)) i++;
  return { indent: i - start, blank: i === end };
}

function namesCredential(bytes: Buffer, start: number, end: number): boolean {
  return CREDENTIAL_NAME.test(bytes.toString('latin1', start, Math.min(end, start + HEAD)));
}

/** True when the line's last character other than spaces is `:` (a YAML parent key, a Python block opener). */
function endsWithColon(bytes: Buffer, start: number, end: number): boolean {
  let i = end;
  const floor = Math.max(start, end - HEAD);
  while (i > floor && (bytes[i - 1] === SPACE || bytes[i - 1] === TAB || bytes[i - 1] === CR)) i--;
  return i > start && bytes[i - 1] === COLON;
}

/**
 * Byte range [start, end) of the assignment block of the line [lineStart, lineEnd), given the starts of the lines
 * above it (nearest first) and the ends of the lines below it (nearest first), as LineCursor gives them.
 */
export function assignmentBlock(
  bytes: Buffer,
  lineStart: number,
  lineEnd: number,
  above: readonly number[],
  below: readonly number[],
): [number, number] {
  const keyIndent = headOf(bytes, lineStart, lineEnd).indent;
  let start = lineStart;
  for (let k = 0; k < above.length; k++) {
    const s = above[k];
    const e = (k === 0 ? lineStart : above[k - 1]) - 1;
    const head = headOf(bytes, s, e);
    if (head.blank || namesCredential(bytes, s, e)) break;
    if (head.indent < keyIndent) {
      if (!endsWithColon(bytes, s, e)) start = s;
      break;
    }
    start = s;
  }
  let end = lineEnd;
  for (let k = 0; k < below.length; k++) {
    const s = (k === 0 ? lineEnd : below[k - 1]) + 1;
    const e = below[k];
    const head = headOf(bytes, s, e);
    if (head.blank || head.indent < keyIndent || namesCredential(bytes, s, e)) break;
    end = e;
  }
  return [start, end];
}
