import { cutPoint, MAX_PIECE_BYTES, PiecePosition } from '../../src/fragments/read-file';

describe('cutPoint', () => {
  it.each([
    ['after the last newline', Buffer.from('one\ntwo\nthr'), { at: 8, midLine: false }],
    ['nothing yet when a short piece holds no newline', Buffer.from('no newline yet'), { at: 0, midLine: false }],
    ['at the end of a piece that ends with a newline', Buffer.from('a\nb\n'), { at: 4, midLine: false }],
  ])('%s', (_what, data, expected) => {
    expect(cutPoint(data)).toEqual(expected);
  });

  it('cuts a line longer than MAX_PIECE_BYTES before a character that the piece splits', () => {
    // "中" is 3 bytes (e4 b8 ad): the piece ends after its first 2, so the cut falls just before it.
    const data = Buffer.alloc(MAX_PIECE_BYTES + 1, 'a');
    Buffer.from('中').copy(data, data.length - 2, 0, 2);
    expect(cutPoint(data)).toEqual({ at: data.length - 2, midLine: true });
  });

  it('cuts a line longer than MAX_PIECE_BYTES at its end when it ends on a whole character', () => {
    const data = Buffer.alloc(MAX_PIECE_BYTES, 'a');
    expect(cutPoint(data)).toEqual({ at: data.length, midLine: true });
  });
});

describe('PiecePosition', () => {
  it('counts lines of pieces that end at a newline and characters of pieces cut mid-line', () => {
    const position = new PiecePosition();
    position.advance(Buffer.from('a\nb\n'));
    expect([position.line, position.column]).toEqual([3, 0]);
    position.advance(Buffer.from('通义千问 key'));
    expect([position.line, position.column]).toEqual([3, 8]);
    position.advance(Buffer.from('more\n'));
    expect([position.line, position.column]).toEqual([4, 0]);
  });
});
