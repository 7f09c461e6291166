import type { Rule } from '../src/types';
import { favouredVendor, leftEdge, TAGS } from './shared';

/**
 * Temporary key from `POST /api/v1/tokens` (`{"token":"st-…"}`), valid 60 seconds to 30 minutes. Short-lived,
 * so a note, and only where the text says Model Studio: `st-` + hex is too common otherwise.
 */
export const modelStudioTemporaryApiKey = {
  id: 'alibaba-model-studio-temporary-api-key',
  name: 'AlibabaModelStudioTemporaryApiKey',
  title: 'Alibaba Cloud Model Studio temporary API key',
  description:
    'A short-lived Model Studio temporary API key (st-). It expires within 30 minutes, but its presence in code ' +
    'usually means a long-lived key or a token endpoint is close by.',
  keywords: ['st-'],
  startsWithKeyword: true,
  pattern: new RegExp(`${leftEdge(/[A-Za-z0-9_.-]/)}(?<secret>st-(?<body>[0-9a-f]{24,128}))(?![A-Za-z0-9_-])`, 'dg'),
  // Exact lower tail of the shortest body the pattern takes, 24 random hex: 1e-9 quantile 2.094 bits.
  entropyFloor: 2.05,
  defaultLevel: 'note',
  classify: (_candidate, context) =>
    favouredVendor(context) === 'model-studio' ? { level: 'note', confidence: context.modelStudio >= 2 ? 'high' : 'medium' } : null,
  remediation:
    'Temporary keys expire by themselves within 30 minutes, so there is nothing to revoke; still, do not commit them. ' +
    'Check that the long-lived key that created this one is not stored nearby: if it is, rotate that key on the ' +
    'API Key page of the Model Studio console for {region}.',
  precision: 'medium',
  securitySeverity: '3.0',
  tags: TAGS,
  examples: {
    positive: [
      { text: '{"token":"{{st}}","expires_at":1767225600} // from dashscope /api/v1/tokens', level: 'note', span: { line: 1, column: 11, endColumn: 17 } },
      { text: 'DASHSCOPE_TEMP_KEY={{st}}', level: 'note', span: { line: 1, column: 20, endColumn: 26 } },
      { text: '"text": "dashscope token:\\n{{st}}"', level: 'note', span: { line: 1, column: 28, endColumn: 34 }, why: 'right after a \\n escape' },
      {
        text: 'DEEPSEEK_TOKEN={{st}}\nDEEPSEEK_BASE_URL=https://dashscope.aliyuncs.com/api/v1',
        level: 'note',
        span: { line: 1, column: 16, endColumn: 22 },
        why: 'sent to a Model Studio host: that outranks the name',
      },
    ],
    negative: [
      { text: 'token = "{{st}}"', why: 'no Model Studio context' },
      { text: 'DEEPSEEK_TOKEN={{st}}' },
      { text: 'host-{{hex32}} on dashscope', why: 'glued to a word' },
      { text: '.a{list-style:none} /* dashscope widget */', why: 'a keyword hit with no hex after it' },
    ],
  },
} satisfies Rule;
