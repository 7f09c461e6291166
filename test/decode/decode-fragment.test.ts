import { chainName, decodeFragment, DECODERS, type DecodedRegion } from '../../src/decode';
import { percentDecoder } from '../../src/decode/percent';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('decode-tests');

/** 1-based line and column of a byte offset (ASCII text). */
function lineColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return [line, offset - before.lastIndexOf('\n')];
}

/** Where the key lands in the original: the origin of its first decoded byte. */
function found(text: string, key: string): { chain: string; at: [number, number]; region: DecodedRegion }[] {
  return decodeFragment(Buffer.from(text)).regions.flatMap((region) => {
    const k = region.bytes.indexOf(key);
    return k < 0 ? [] : [{ chain: chainName(region), at: lineColumn(text, region.origin[k]), region }];
  });
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const pct = (s: string): string => [...Buffer.from(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('decodeFragment: each decoder, with the line and column of the encoded key', () => {
  const legacy = gen.legacy();
  const signed = gen.signed();
  const st = gen.temporary();
  const ltai = gen.accessKeyId();
  it.each<[string, string, string, string, [number, number]]>([
    // [case, text, key, chain, line/column of the key's first decoded byte]
    ['Kubernetes data: base64', `apiVersion: v1\ndata:\n  key: ${b64(legacy)}\n`, legacy, 'base64', [3, 8]],
    ['base64 without padding', `x=${b64(`${legacy}!`).replace(/=+$/, '')}\n`, legacy, 'base64', [1, 3]],
    ['base64url of a signed key (with - and _)', `t ${b64url(`k=${signed}`)}\n`, signed, 'base64', [1, 5]],
    ['HTTP Basic user:key', `Authorization: Basic ${b64(`user:${legacy}`)}\n`, legacy, 'base64', [1, 28]],
    ['Docker auths', `{"auths":{"r.io":{"auth":"${b64(`bob:${st}`)}"}}}`, st, 'base64', [1, 32]],
    ['percent: every byte encoded', `k=${pct(ltai)}`, ltai, 'percent', [1, 3]],
    ['\\x escapes', `s = "\\x73\\x6b\\x2d${legacy.slice(3)}"`, legacy, 'unicode-escape', [1, 6]],
    // A named entity only next to a plain key is left to the plain scan (its edge is clear): decoding starts at `&#`.
    ['HTML named entity beside a character reference', `<code>&quot;&#115;${legacy.slice(1)}&quot;</code>`, legacy, 'html-entity', [1, 13]],
    ['HTML decimal and hex', `<p>&#115;&#x6B;&#45;${legacy.slice(3)}</p>`, legacy, 'html-entity', [1, 4]],
    // Nested: the key's decoded bytes are 2 into the percent text, whose bits start 2 characters into the run.
    ['base64 of percent-encoded', `v: ${b64(`u=sk%2D${legacy.slice(3)}`)}`, legacy, 'base64>percent', [1, 6]],
    ['base64 of base64 (dockerconfigjson)', `.dockerconfigjson: ${b64(`{"auths":{"r":{"auth":"${b64(`u:${legacy}`)}"}}}`)}`, legacy, 'base64>base64', [1, 53]],
  ])('%s', (_, text, key, chain, at) => {
    const hits = found(text, key).filter((h) => h.chain === chain);
    expect(hits.map((h) => [h.chain, h.at])).toEqual([[chain, at]]);
  });

  it.each([
    ['percent: quote before the key', `GET /v1?q=%22${legacy}%22 HTTP/1.1`],
    ['percent: Bearer%20', `\nAuthorization: Bearer%20${legacy}`],
    ['JSON \\u0022 before the key', `{"cfg":"\\u0022${legacy}\\u0022"}`],
    ['code escapes of no key character', `printf("%s\\n", "\\u00e9 &amp; %20 %2C &#x2C; &#44; \\x2c \\u003A"); key = "${legacy}"`],
  ])('%s: no window is decoded (escapes of no key character reveal nothing; the plain scan finds the key in place)', (_, text) => {
    expect(found(text, legacy)).toEqual([]);
  });

  it('percent, escapes and entities map every decoded byte to its own character', () => {
    const text = `a=%73%6B-${legacy.slice(3)}`;
    const [{ region }] = found(text, legacy);
    const origins = [...region.origin.subarray(region.bytes.indexOf(legacy), region.bytes.indexOf(legacy) + 5)];
    expect(origins).toEqual([2, 5, 8, 9, 10]);
  });

  it('base64 maps a decoded byte to the character where its bits start', () => {
    const text = `x: ${b64(`abc${legacy}`)}`;
    const [{ region }] = found(text, legacy);
    // Byte 3 of the decoded text starts at character 4 of the run (3 bytes = 4 characters).
    expect(region.origin[3]).toBe(3 + 4);
    expect(region.start).toBe(3);
  });
});

describe('decodeFragment: wrapped base64 (a key across a line break)', () => {
  const key = gen.legacy();
  // 40 bytes before the key: with 57 bytes to a 76-column line and 48 to a 64-column one, the key crosses a break.
  const plain = `${'# staging cluster settings'.padEnd(37, '.')}\nK=${key}\nREGION=cn-beijing\nLOG_LEVEL=info\n`;
  const keyByte = plain.indexOf(key);
  it.each<[string, number, string, string]>([
    ['`base64` output, 76 columns', 76, '\n', ''],
    ['PEM-style, 64 columns, CRLF', 64, '\r\n', ''],
    ['indented under a YAML key', 76, '\n', '    '],
  ])('%s', (_what, width, lineBreak, indent) => {
    const lines = Buffer.from(plain).toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) as string[];
    const prefix = indent ? 'blob: |\n' : '';
    const text = `${prefix}${lines.map((l) => indent + l).join(lineBreak)}\n`;
    // The character where the key's first byte starts, in the joined run, then on its line of the text.
    const c = Math.floor((keyByte * 4) / 3);
    expect(Math.floor(c / width)).toBeLessThan(Math.floor(Math.floor(((keyByte + key.length - 1) * 4) / 3) / width)); // it crosses
    const expectedLine = (prefix ? 2 : 1) + Math.floor(c / width);
    const expectedColumn = indent.length + (c % width) + 1;
    const hits = found(text, key);
    expect(hits.map((h) => [h.chain, h.at])).toEqual([['base64', [expectedLine, expectedColumn]]]);
    // The key's last byte, on the next line of the block.
    const [{ region }] = hits;
    const last = Math.floor(((keyByte + key.length - 1) * 4) / 3);
    expect(lineColumn(text, region.origin[region.bytes.indexOf(key) + key.length - 1])).toEqual([
      (prefix ? 2 : 1) + Math.floor(last / width),
      indent.length + (last % width) + 1,
    ]);
  });

  it('a block longer than a chunk is decoded in chunks of whole lines, with the right origins', () => {
    const long = `${'configuration text '.repeat(70_000)}key=${key}\n`;
    const lines = Buffer.from(long).toString('base64').match(/.{1,76}/g) as string[];
    const text = `${lines.join('\n')}\n`;
    const [hit] = found(text, key);
    const c = Math.floor((long.indexOf(key) * 4) / 3);
    expect(hit.at).toEqual([1 + Math.floor(c / 76), (c % 76) + 1]);
  });

  it.each<[string, string]>([
    ['a line longer than the first is not a continuation', `${'QUJD'.repeat(19)}\n${'QUJD'.repeat(20)}`],
    ['a first line of 4k+2 characters does not wrap', `${'QUJD'.repeat(18)}QU\n${'QUJD'.repeat(5)}`],
    ['text after the next line\'s run', `${'QUJD'.repeat(19)}\n${'QUJD'.repeat(5)} and words`],
  ])('%s: the lines are decoded apart', (_what, text) => {
    const spans = [...DECODERS[0].decode(Buffer.from(text))];
    expect(spans.every((span) => !Buffer.from(text).subarray(span.start, span.end).includes(0x0a))).toBe(true);
  });
});

describe('decodeFragment: what is not kept', () => {
  const legacy = gen.legacy();
  it.each<[string, string]>([
    ['plain text, no encoding', `DASHSCOPE_API_KEY=${legacy}\n`],
    ['a plain key after an unrelated %20 on its line', `GET /a%20b?key=${legacy} HTTP/1.1`],
    ['base64 without a keyword', `data: ${b64('just some configuration text, nothing here')}`],
    ['base64 that decodes to binary', `sum: ${gen.bytes(48).toString('base64')}`],
    ['invalid base64 (4k+1 characters of noise)', `id: ${'Q'.repeat(33)}`],
    ['a base64 run shorter than any key', `k: ${b64('sk-abc')}`],
    ['an escape far from the keyword', `%20${'y'.repeat(300)}\n${legacy}`],
  ])('%s', (_, text) => {
    expect(decodeFragment(Buffer.from(text)).regions).toEqual([]);
  });

  it('stops at the decoded-bytes cap and says so', () => {
    const many = Array.from({ length: 200 }, () => `v: ${b64(`user:${gen.legacy()}`)}`).join('\n');
    const outcome = decodeFragment(Buffer.from(many), { maxDecodedBytes: 1000 });
    expect(outcome.capped).toBe('decoding stopped at the cap of 1000 decoded bytes per fragment (maxDecodedBytes)');
    expect(outcome.decodedBytes).toBeLessThanOrEqual(1000);
    expect(outcome.regions.length).toBeGreaterThan(0);
  });

  it('decodes at most two layers', () => {
    const three = `v: ${b64(b64(b64(`u:${legacy}`)))}`;
    expect(decodeFragment(Buffer.from(three)).regions).toEqual([]);
    expect(decodeFragment(Buffer.from(three), { maxDepth: 3 }).regions.map(chainName)).toEqual(['base64>base64>base64']);
  });
});

describe('decodeFragment: long encoded stretches are decoded in bounded spans', () => {
  it('a 1 MB line of percent escapes: windows of at most 64 KiB that never overlap, all of it decoded', () => {
    const key = gen.legacy();
    const text = `${'%41'.repeat(350_000)}%22${key}`;
    const spans = [...percentDecoder.decode(Buffer.from(text))];
    expect(spans.reduce((n, s) => n + s.bytes.length, 0)).toBe(350_001 + key.length);
    expect(Math.max(...spans.map((s) => s.end - s.start))).toBeLessThanOrEqual(64 * 1024 + 3 + 256);
    spans.slice(1).forEach((s, i) => expect(s.start).toBe(spans[i].end));
    const outcome = decodeFragment(Buffer.from(text));
    expect(outcome.capped).toBeUndefined();
    expect(outcome.regions.map((r) => [chainName(r), r.bytes.subarray(-key.length - 1).toString()])).toEqual([['percent', `"${key}`]]);
    const [region] = outcome.regions;
    expect(region.end - region.start).toBeLessThanOrEqual(64 * 1024 + 2 * 256);
    expect(region.origin[region.bytes.indexOf(key)]).toBe(text.indexOf(key));
  });

  it('a base64 run longer than a chunk is decoded in chunks with the right origins', () => {
    const key = gen.legacy();
    const plain = `${'configuration text '.repeat(60_000)}key=${key}\n`;
    const run = Buffer.from(plain).toString('base64');
    const outcome = decodeFragment(Buffer.from(`v: ${run}`));
    const hits = outcome.regions.filter((r) => r.bytes.includes(key));
    expect(hits.map(chainName)).toEqual(['base64']);
    const [region] = hits;
    const keyByte = plain.indexOf(key);
    expect(region.origin[region.bytes.indexOf(key)]).toBe(3 + Math.floor((keyByte * 4) / 3));
  });
});
