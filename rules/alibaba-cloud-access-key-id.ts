import type { Rule } from '../src/types';
import { leftEdge } from './shared';

const AK_TAGS = ['security', 'secret', 'credential', 'alibaba-cloud'] as const;

/**
 * A presigned OSS URL (`https://<bucket>.oss-<region>.aliyuncs.com/<object>?Expires=…&OSSAccessKeyId=LTAI…&Signature=…`),
 * as DashScope returns image and audio results: the ID of the vendor's own key, next to a signature that expires.
 * No secret is exposed, so it is a note. `&` may be written `\u0026` (JSON from Go) or `&amp;` (HTML).
 */
const QUERY_SEPARATOR = String.raw`(?:[?&]|\\u0026|&amp;)`;
const OSS_PRESIGNED = new RegExp(String.raw`\.oss(?:-[a-z0-9-]+)?\.aliyuncs\.com/[^\s"'<>]*${QUERY_SEPARATOR}Signature=`);

function inPresignedOssUrl(line: string, secret: string): boolean {
  if (!line.includes(`OSSAccessKeyId=${secret}`) || !OSS_PRESIGNED.test(line)) return false;
  return new RegExp(String.raw`${QUERY_SEPARATOR}OSSAccessKeyId=${secret}(?![A-Za-z0-9])`).test(line);
}

/** Alibaba Cloud AccessKey ID: `LTAI` + 12-20 alphanumerics. Half of a pair; the secret is the other rule. */
export const alibabaCloudAccessKeyId = {
  id: 'alibaba-cloud-access-key-id',
  name: 'AlibabaCloudAccessKeyId',
  title: 'Alibaba Cloud AccessKey ID',
  description:
    'An Alibaba Cloud AccessKey ID (LTAI…), used with its AccessKey secret to sign management API calls, ' +
    'including Model Studio\'s. The ID alone cannot sign, but it names the account and is rarely far from its secret.',
  keywords: ['LTAI'],
  startsWithKeyword: true,
  pattern: new RegExp(`${leftEdge(/[A-Za-z0-9]/)}(?<secret>LTAI(?<body>[A-Za-z0-9]{12,20}))(?![A-Za-z0-9])`, 'dg'),
  // Exact lower tail of the shortest body the pattern takes, 12 random alphanumerics: 1e-9 quantile 1.781 bits
  // (20 of them: 2.739). Typed placeholders (LTAIxxxx…) are dropped by the placeholder test, not by this floor.
  entropyFloor: 1.75,
  defaultLevel: 'warning',
  classify: ({ line, secret }) =>
    inPresignedOssUrl(line, secret)
      ? { level: 'note', confidence: 'high', note: 'in a presigned OSS URL: the ID only, no secret' }
      : { level: 'warning', confidence: 'high' },
  remediation:
    'Check whether the AccessKey secret of this ID is also in the repository or its history; if it is, or if unsure, ' +
    'disable and delete the pair in the RAM console (AccessKey management), create a new one for a RAM user with ' +
    'the least privileges, and load it from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID) or a credentials file.',
  precision: 'high',
  securitySeverity: '5.0',
  tags: AK_TAGS,
  examples: {
    positive: [
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_ID={{ltai}}', level: 'warning', span: { line: 1, column: 29, endColumn: 37 } },
      { text: 'accessKeyId: "{{ltai}}"', level: 'warning', span: { line: 1, column: 15, endColumn: 23 } },
      { text: '{"stdout": "AccessKeyId:\\n{{ltai}}"}', level: 'warning', span: { line: 1, column: 27, endColumn: 35 }, why: 'right after a \\n escape' },
      { text: 'GET /config?id=%22{{ltai}}%22', level: 'warning', span: { line: 1, column: 19, endColumn: 27 }, why: 'right after a percent-encoded quote' },
      {
        text: '"url": "https://dashscope-result-bj.oss-cn-beijing.aliyuncs.com/1d/x.png?Expires=1767225600&OSSAccessKeyId={{ltai}}&Signature={{oss-signature}}"',
        level: 'note',
        span: { line: 1, column: 108, endColumn: 116 },
        why: 'presigned OSS result URL (DashScope image/audio results): the vendor\'s ID, no secret',
      },
      {
        text: '{"url": "https://bucket.oss-cn-hangzhou.aliyuncs.com/a.wav?OSSAccessKeyId={{ltai}}\\u0026Expires=1767225600\\u0026Signature={{oss-signature}}"}',
        level: 'note',
        span: { line: 1, column: 75, endColumn: 83 },
        why: 'the same URL with & escaped as \\u0026',
      },
      { text: 'OSSAccessKeyId={{ltai}}\nSignature={{oss-signature}}', level: 'warning', span: { line: 1, column: 16, endColumn: 24 }, why: 'a config, not a presigned URL' },
    ],
    negative: [
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIxxxxxxxxxxxxxxxxxxxx' },
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tExampleAccessKeyId' },
      { text: 'XLTAI{{ltai-body}}', why: 'glued to a word' },
      { text: 'q=%41LTAI{{ltai-body}}', why: 'an escaped letter (%41 is A): glued, as the raw text would be' },
    ],
  },
} satisfies Rule;

export { AK_TAGS };
