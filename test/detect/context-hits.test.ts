import { contextHits, VENDOR_NAMES } from '../../src/detect/context';
import { regionOfHost } from '../../src/detect/regions';

/**
 * The context pattern used to be one regex with the host's subdomain labels in front. That was quadratic on long
 * runs of letters, so labels are now found after the fact; this checks the hits are the same, span for span.
 */
const REFERENCE = new RegExp(
  [
    '(?<host>(?:[a-z0-9-]+\\.)*(?:dashscope(?:-intl|-us)?|maas)\\.aliyuncs\\.com)',
    '(?<ms>dashscope|bailian|tongyi|qwen|compatible-mode/v1|apps/anthropic|alibaba_(?:coding|token)_plan|model[ _-]?studio)',
    '(?<other>deepseek|baichuan|moonshot|siliconflow|openrouter|minimax|zhipu|bigmodel)',
  ].join('|'),
  'gi',
);

function referenceHits(text: string): unknown[] {
  return [...text.matchAll(REFERENCE)].map((m) => {
    const start = m.index;
    const end = start + m[0].length;
    const g = m.groups ?? {};
    if (g.host) return { start, end, modelStudio: true, endpoint: true, region: regionOfHost(g.host) };
    if (g.ms) return { start, end, modelStudio: true, ...(/^(?:compatible-mode\/v1|apps\/anthropic)$/i.test(g.ms) ? { endpoint: true } : {}) };
    const host = /^(?:-ai)?\.(?:com|cn|ai|chat)(?![A-Za-z0-9_-])/.test(text.slice(end));
    return { start, end, modelStudio: false, vendor: VENDOR_NAMES[g.other.toLowerCase()] ?? g.other, ...(host ? { endpoint: true } : {}) };
  });
}

const PIECES = ['qwen', '.', 'dashscope', '.aliyuncs.com', '-intl', 'maas', 'cn-beijing', 'x', 'Q', '-', '/', ' ', 'v1', 'compatible-mode/v1', 'model studio', 'deepseek', 'coding', '..', 'DashScope', '9', '.com', 'api.', '-ai', 'moonshot', 'cn'];

/** Deterministic pseudo-random texts made of the pieces the host logic cares about. */
function texts(count: number): string[] {
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + next(14) }, () => PIECES[next(PIECES.length)]).join(''));
}

describe('contextHits', () => {
  it.each([
    ['https://dashscope.aliyuncs.com/compatible-mode/v1'],
    ['qwen.dashscope.aliyuncs.com'],
    ['coding-intl.dashscope.aliyuncs.com and deepseek'],
    ['base_url="https://api.deepseek.com" api.baichuan-ai.com openrouter.ai/v1 DEEPSEEK_BASE_URL deepseek.common'],
    ['compatible-mode/v1.dashscope.aliyuncs.com'],
    ['model studio.ws1.cn-beijing.maas.aliyuncs.com'],
    ['xdashscope.aliyuncs.com'],
    ['a..dashscope-us.aliyuncs.com'],
    [`${'x'.repeat(5000)} dashscope`],
  ])('finds what the one-regex pattern found in %#', (text) => {
    expect(contextHits(text)).toEqual(referenceHits(text));
  });

  it('agrees with the one-regex pattern on 20,000 generated texts', () => {
    const differing = texts(20000).filter((text) => JSON.stringify(contextHits(text)) !== JSON.stringify(referenceHits(text)));
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it.each([[7], [16], [61], [512]])('finds the same hits when a long text is decoded in slices of %i bytes', (slice) => {
    const text = texts(3000).join(' ');
    const hits = contextHits(text, slice);
    expect(hits.length).toBeGreaterThan(1000);
    expect(hits).toEqual(referenceHits(text));
  });
});
