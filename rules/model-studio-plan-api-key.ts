import type { Rule } from '../src/types';
import { isDerEcdsaSignature } from '../src/detect/structure';
import { LEFT, PLAN_REMEDIATION, SIGNED_BODY, TAGS } from './shared';

/** Token Plan / Coding Plan key: `sk-sp-` and either 32 hex or the signed body of upgraded keys. */
export const modelStudioPlanApiKey = {
  id: 'alibaba-model-studio-plan-api-key',
  name: 'AlibabaModelStudioPlanApiKey',
  title: 'Alibaba Cloud Model Studio Token Plan / Coding Plan key',
  description:
    'A Model Studio Token Plan or Coding Plan API key (sk-sp-). It spends the plan\'s quota; the vendor may ' +
    'disable a plan key that is used outside interactive coding tools.',
  keywords: ['sk-sp-'],
  startsWithKeyword: true,
  pattern: new RegExp(
    `${LEFT}(?<secret>sk-sp-(?<body>[0-9a-f]{32}(?![A-Za-z0-9_.-])|${SIGNED_BODY}(?![A-Za-z0-9_-])))`,
    'gd',
  ),
  // As the legacy key's 32 hex (see model-studio-api-key.ts); signed bodies measure 5.5 ± 0.08 bits.
  entropyFloor: 2.45,
  defaultLevel: 'error',
  check: ({ groups }) =>
    groups.sig === undefined || isDerEcdsaSignature(groups.sig) ? undefined : 'signature segment is not DER ECDSA',
  remediation: PLAN_REMEDIATION,
  precision: 'very-high',
  securitySeverity: '8.0',
  tags: TAGS,
  examples: {
    positive: [
      { text: 'ALIBABA_CODING_PLAN_API_KEY={{sp-hex}}', level: 'error', span: { line: 1, column: 29, endColumn: 39 } },
      { text: 'export ANTHROPIC_AUTH_TOKEN="{{sp-signed}}"', level: 'error', span: { line: 1, column: 30, endColumn: 43 } },
      { text: 'token: {{sp-hex}}', level: 'error', span: { line: 1, column: 8, endColumn: 18 }, why: 'the prefix is specific enough' },
      { text: 'export ANTHROPIC_AUTH_TOKEN={{sp-word}}', level: 'error', span: { line: 1, column: 29, endColumn: 40 }, why: 'the random signature spells a placeholder word' },
    ],
    negative: [
      { text: 'ALIBABA_CODING_PLAN_API_KEY=sk-sp-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      { text: 'ALIBABA_CODING_PLAN_API_KEY=sk-sp-****' },
      { text: 'ALIBABA_CODING_PLAN_API_KEY=sk-sp-1234567890abcdef1234567890abcdef', why: 'sequential placeholder, hex body' },
      { text: 'key = "{{sp-truncated}}"', why: 'signed body cut short' },
      { text: 'MINIMAX_KEY={{minimax}}', why: 'MiniMax sk-cp-' },
      { text: 'HUNYUAN_API_KEY={{tencent}}', why: 'Tencent sk-tp-' },
    ],
  },
} satisfies Rule;
