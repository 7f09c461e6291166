import { ContextIndex } from '../../src/detect/context';

/** Signals for the first occurrence of `secret` in `text`. */
function signals(text: string, secret = 'SECRET') {
  const bytes = Buffer.from(text, 'latin1');
  const start = text.indexOf(secret);
  return new ContextIndex(bytes).signalsFor(start, start + secret.length);
}

describe('ContextIndex', () => {
  it.each([
    ['DASHSCOPE_API_KEY=SECRET', { modelStudio: 3, otherVendor: 0 }],
    ['key=SECRET\nbase=https://dashscope-intl.aliyuncs.com', { modelStudio: 2, otherVendor: 0, modelStudioLines: 1.5, region: 'ap-southeast-1', modelStudioEndpoint: true }],
    [
      'key=SECRET\nbase=https://api.deepseek.com\nalt=https://dashscope.aliyuncs.com',
      { modelStudio: 2, otherVendor: 2, otherVendorName: 'DeepSeek', modelStudioLines: 2.5, otherVendorLines: 1.5, region: 'cn-beijing', modelStudioEndpoint: true, otherVendorEndpoint: true },
    ],
    ['key=SECRET\n\nbase=https://dashscope.aliyuncs.com', { modelStudio: 2, otherVendor: 0, modelStudioLines: 2.5, region: 'cn-beijing' }],
    ['# deepseek\nkey=SECRET\n# qwen', { modelStudio: 2, otherVendor: 2, otherVendorName: 'DeepSeek', modelStudioLines: 1.5, otherVendorLines: 1 }],
    ['key=SECRET\n\n\n\n\nmodel=qwen-max', { modelStudio: 1, otherVendor: 0 }],
    ['key=SECRET', { modelStudio: 0, otherVendor: 0 }],
  ])('%j', (text, expected) => {
    expect(signals(text)).toEqual({ otherVendorName: undefined, region: undefined, ...expected });
  });

  it('reads a host after a 1 MB run of letters and digits (linear, not quadratic, matching)', () => {
    const result = signals(`${'a0'.repeat(500_000)} SECRET https://dashscope-intl.aliyuncs.com ${'b-'.repeat(500_000)}`);
    expect(result.region).toBe('ap-southeast-1');
    expect(result.modelStudio).toBe(3);
  });

  it('takes the region of the nearest host', () => {
    expect(signals('a=https://dashscope-intl.aliyuncs.com\n\n\n\n\n\nSECRET\nb=https://dashscope-us.aliyuncs.com').region).toBe('us-east-1');
  });
});
