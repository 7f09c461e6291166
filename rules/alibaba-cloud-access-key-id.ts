import type { Rule } from '../src/types';

const AK_TAGS = ['security', 'secret', 'credential', 'alibaba-cloud'] as const;

/** Alibaba Cloud AccessKey ID: `LTAI` + 12-20 alphanumerics. Half of a pair; the secret is the other rule. */
export const alibabaCloudAccessKeyId = {
  id: 'alibaba-cloud-access-key-id',
  name: 'AlibabaCloudAccessKeyId',
  title: 'Alibaba Cloud AccessKey ID',
  description:
    'An Alibaba Cloud AccessKey ID (LTAI…), used with its AccessKey secret to sign management API calls, ' +
    'including Model Studio\'s. The ID alone cannot sign, but it names the account and is rarely far from its secret.',
  keywords: ['LTAI'],
  pattern: /(?:(?<![A-Za-z0-9])|(?<=\\[nrt]))(?<secret>LTAI(?<body>[A-Za-z0-9]{12,20}))(?![A-Za-z0-9])/dg,
  // Exact lower tail of the shortest body the pattern takes, 12 random alphanumerics: 1e-9 quantile 1.781 bits
  // (20 of them: 2.739). Typed placeholders (LTAIxxxx…) are dropped by the placeholder test, not by this floor.
  entropyFloor: 1.75,
  defaultLevel: 'warning',
  remediation:
    'Check whether the AccessKey secret of this ID is also in the repository or its history; if it is, or if unsure, ' +
    'disable and delete the pair in the RAM console (AccessKey management), create a new one for a RAM user with ' +
    'the least privileges, and load it from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID) or a credentials file.',
  precision: 'high',
  securitySeverity: '5.0',
  tags: AK_TAGS,
  examples: {
    positive: [
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_ID={{ltai}}', level: 'warning' },
      { text: 'accessKeyId: "{{ltai}}"', level: 'warning' },
      { text: '{"stdout": "AccessKeyId:\\n{{ltai}}"}', level: 'warning', why: 'right after a \\n escape' },
    ],
    negative: [
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIxxxxxxxxxxxxxxxxxxxx' },
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tExampleAccessKeyId' },
      { text: 'XLTAI{{ltai-body}}', why: 'glued to a word' },
    ],
  },
} satisfies Rule;

export { AK_TAGS };
