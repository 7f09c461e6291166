import { assignmentBlock } from '../../src/detect/assignment-block';
import { LineCursor } from '../../src/detect/lines';
import { NEARBY_LINES } from '../../src/detect/context';

/** The lines of the block of the line holding `KEY`, as text. */
function blockOf(text: string): string[] {
  const bytes = Buffer.from(text, 'latin1');
  const { lineStart, lineEnd, above, below } = new LineCursor(bytes, NEARBY_LINES).at(text.indexOf('KEY'));
  const [from, to] = assignmentBlock(bytes, lineStart, lineEnd, above, below);
  return bytes.toString('latin1', from, to).split('\n');
}

describe('assignmentBlock', () => {
  it.each([
    ['.env pair', 'A_API_KEY=KEY\nA_BASE_URL=u', ['A_API_KEY=KEY', 'A_BASE_URL=u']],
    ['a blank line ends it', 'X=1\nA_API_KEY=KEY\n\nA_BASE_URL=u', ['X=1', 'A_API_KEY=KEY']],
    ['a line of spaces is blank', 'A_API_KEY=KEY\n   \r\nA_BASE_URL=u', ['A_API_KEY=KEY']],
    ['CRLF lines', 'A_API_KEY=KEY\r\nA_BASE_URL=u\r\n', ['A_API_KEY=KEY\r', 'A_BASE_URL=u\r']],
    ['another credential ends it (below)', 'A_API_KEY=KEY\nB_API_KEY=x\nB_BASE_URL=u', ['A_API_KEY=KEY']],
    ['another credential ends it (above)', 'B_SECRET=x\nA_BASE_URL=u\nA_API_KEY=KEY', ['A_BASE_URL=u', 'A_API_KEY=KEY']],
    ['at most NEARBY_LINES each way', 'a\nb\nc\nd\nKEY\ne\nf\ng\nh', ['b', 'c', 'd', 'KEY', 'e', 'f', 'g']],
    ['YAML: a parent key ending in : is not in it', 'p:\n  base: u\n  key: KEY\n  model: m\nq: 1', ['  base: u', '  key: KEY', '  model: m']],
    ['YAML: the list item that opens the object is in it', '- name: n\n  key: KEY\n- name: o', ['- name: n', '  key: KEY']],
    ['a call opened above', 'c = OpenAI(base_url="u",\n           api_key="KEY")\nx = 1', ['c = OpenAI(base_url="u",', '           api_key="KEY")']],
    ['a call closed below', 'c = OpenAI(\n    api_key="KEY",\n    base_url="u",\n)', ['c = OpenAI(', '    api_key="KEY",', '    base_url="u",']],
    ['JSON object', '{\n  "a": {\n    "api_key": "KEY",\n    "base_url": "u"\n  },\n  "b": {}\n}', ['  "a": {', '    "api_key": "KEY",', '    "base_url": "u"']],
    ['one line', 'KEY', ['KEY']],
  ])('%s', (_name, text, expected) => {
    expect(blockOf(text)).toEqual(expected);
  });

  it('takes a 1 MB neighbour line into the block by its head', () => {
    const long = `A_BASE_URL=${'u'.repeat(1_000_000)}`;
    expect(blockOf(`A_API_KEY=KEY\n${long}`)).toEqual(['A_API_KEY=KEY', long]);
  });
});
