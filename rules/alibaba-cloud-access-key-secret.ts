import type { Rule } from '../src/types';
import { AK_TAGS } from './alibaba-cloud-access-key-id';
import { leftEdge } from './shared';

/** Names under which an AccessKey secret is stored (SDK settings, env names, config keys). */
const SECRET_NAME = /access[_-]?key[_-]?secret|secret[_-]?access[_-]?key|ali(?:yun|cloud|baba)[_-]?(?:cloud[_-]?)?secret[_-]?key/i;
const ACCESS_KEY_ID = /(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{12,20}(?![A-Za-z0-9])/;

/**
 * AccessKey secret: 30 alphanumerics, which alone look like anything. Reported only under a secret's name on
 * the same line, or within a few lines of an AccessKey ID.
 */
export const alibabaCloudAccessKeySecret = {
  id: 'alibaba-cloud-access-key-secret',
  name: 'AlibabaCloudAccessKeySecret',
  title: 'Alibaba Cloud AccessKey secret',
  description:
    'An Alibaba Cloud AccessKey secret. With its ID it signs API calls as the RAM user or account that owns it — ' +
    'with an administrator\'s key, anything in the account, Model Studio keys included.',
  keywords: ['LTAI', 'ecret', 'ECRET'],
  window: 3,
  // A candidate is reported under a secret's name on its own line, or near an ID (whose hits keep 3 lines). Around
  // "secret" only the value after the name is looked at (issue 12): in configuration files, where "secret" is on
  // every few lines, the pattern runs from each name to its line's end, not over 7 lines around it. A value written
  // before its name on a line with no AccessKey ID near is not looked for.
  keywordWindow: { ecret: 'rest-of-line', ECRET: 'rest-of-line' },
  pattern: new RegExp(`${leftEdge(/[A-Za-z0-9+/_-]/)}(?<secret>(?<body>[A-Za-z0-9]{30}))(?![A-Za-z0-9+/=_-])`, 'dg'),
  // Exact lower tail of 30 random alphanumerics: 1e-9 quantile 3.398 bits (the floor of 3.5 used before dropped
  // about one real secret in 100 million).
  entropyFloor: 3.35,
  defaultLevel: 'error',
  // Two of the three kinds of characters: a random secret has no digit one time in 200 (so requiring all three
  // dropped real secrets), but only one kind with probability 1e-11.
  check: ({ secret }) => (Number(/[a-z]/.test(secret)) + Number(/[A-Z]/.test(secret)) + Number(/[0-9]/.test(secret)) >= 2 ? undefined : 'only one kind of character'),
  classify: ({ line, window }) =>
    SECRET_NAME.test(line) || ACCESS_KEY_ID.test(window) ? { level: 'error', confidence: SECRET_NAME.test(line) ? 'high' : 'medium' } : null,
  remediation:
    'Disable and delete this AccessKey pair in the RAM console (AccessKey management) now — removing the line does ' +
    'not remove it from git history — then create a new pair for a RAM user with the least privileges and load it ' +
    'from the environment (ALIBABA_CLOUD_ACCESS_KEY_SECRET) or a credentials file. Review the account\'s ActionTrail ' +
    'logs for calls you did not make.',
  precision: 'high',
  securitySeverity: '9.5',
  tags: AK_TAGS,
  examples: {
    positive: [
      { text: '{"text": "access_key_secret:\\n{{ak-secret}}\\n"}', level: 'error', span: { line: 1, column: 31, endColumn: 44 }, why: 'after a string escape (notebook output, JSON)' },
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET={{ak-secret}}', level: 'error', span: { line: 1, column: 33, endColumn: 46 } },
      { text: 'access_key_id = "{{ltai}}"\naccess_key_secret = "{{ak-secret}}"', level: 'error', span: { line: 2, column: 22, endColumn: 35 } },
      { text: 'client = AcsClient("{{ltai}}", "{{ak-secret}}", "cn-beijing")', level: 'error', span: { line: 1, column: 33, endColumn: 46 }, why: 'paired on one line' },
      { text: 'AccessKeySecret={{ak-secret-word}}', level: 'error', span: { line: 1, column: 17, endColumn: 35 }, why: 'random letters spelling "yOUr" in mixed case are not a placeholder' },
    ],
    negative: [
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      { text: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET=${ALIBABA_CLOUD_ACCESS_KEY_SECRET}' },
      { text: 'access_key_secret = "YourAccessKeySecret1x2y3z4w5v6"', why: 'a typed placeholder' },
      { text: 'build_id = "{{ak-secret}}"', why: 'no secret name, no AccessKey ID nearby' },
      { text: 'client_secret = "{{hex32}}"', why: 'hex only, other length' },
      { text: 'AWS_SECRET_ACCESS_KEY={{aws-secret}}', why: '40 base64 characters, not 30 alphanumerics' },
      { text: 'GOOGLE_CLIENT_SECRET={{google-secret}}', why: 'GOCSPX- prefix: glued to a dash' },
      { text: '"node_modules/client-secret-store": {\n  "integrity": "{{integrity}}"', why: 'lockfile integrity near a package named secret' },
    ],
  },
} satisfies Rule;
