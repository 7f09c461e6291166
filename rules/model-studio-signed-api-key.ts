import type { Rule } from '../src/types';
import { isDerEcdsaSignature } from '../src/detect/structure';
import { LEFT, MODEL_STUDIO_REMEDIATION, SIGNED_BODY, TAGS } from './shared';

/**
 * Post-upgrade pay-as-you-go key: `sk-ws-` and a dotted body ending in a base64url DER ECDSA signature.
 * The prefix alone is not enough (Windsurf uses `sk-ws-01-`), so the signature must parse.
 */
export const modelStudioSignedApiKey = {
  id: 'alibaba-model-studio-signed-api-key',
  name: 'AlibabaModelStudioSignedApiKey',
  title: 'Alibaba Cloud Model Studio API key (upgraded, signed)',
  description:
    'A pay-as-you-go Model Studio API key in the upgraded format (sk-ws- and a signed body). ' +
    'The console shows it only once, so a copy in a repository is often the only one — and anyone can use it.',
  keywords: ['sk-ws-'],
  startsWithKeyword: true,
  pattern: new RegExp(`${LEFT}(?<secret>sk-ws-(?<body>${SIGNED_BODY}))(?![A-Za-z0-9_-])`, 'gd'),
  // Simulated (300,000 generated bodies): 5.497 ± 0.078 bits, lowest 5.099. The floor is 19 standard deviations
  // below the mean, far past the 1e-9 tail (6 for a normal law); the DER signature check is the real filter.
  entropyFloor: 4.0,
  defaultLevel: 'error',
  check: ({ groups }) => (isDerEcdsaSignature(groups.sig ?? '') ? undefined : 'signature segment is not DER ECDSA'),
  remediation: MODEL_STUDIO_REMEDIATION,
  precision: 'very-high',
  securitySeverity: '9.0',
  tags: TAGS,
  examples: {
    positive: [
      { text: 'DASHSCOPE_API_KEY={{ws}}', level: 'error', span: { line: 1, column: 19, endColumn: 25 } },
      { text: 'key = "{{ws}}"  # no vendor words at all', level: 'error', span: { line: 1, column: 8, endColumn: 14 }, why: 'the signature is proof enough' },
      { text: '{"api_key": "{{ws}}", "model": "qwen3-max"}', level: 'error', span: { line: 1, column: 14, endColumn: 20 } },
      { text: 'log.info("dashscope key:\\t{{ws}}")', level: 'error', span: { line: 1, column: 27, endColumn: 33 }, why: 'right after a \\t escape' },
      { text: 'DASHSCOPE_API_KEY={{ws-word}}', level: 'error', span: { line: 1, column: 19, endColumn: 30 }, why: 'the random signature spells "fake", "your" or "xxxx"' },
    ],
    negative: [
      { text: 'DASHSCOPE_API_KEY=sk-ws-H.LDHID.5****WreZ', why: 'masked, as the console lists it' },
      { text: 'DASHSCOPE_API_KEY={{ws-truncated}}', why: 'truncated signature' },
      { text: 'DASHSCOPE_API_KEY={{ws-badsig}}', why: 'last segment is not DER' },
      { text: 'WINDSURF_API_KEY={{windsurf}}', why: 'Windsurf: sk-ws-01-, no dots' },
      { text: 'DASHSCOPE_API_KEY=sk-ws-your-api-key-here' },
      { text: 'WORKSPACE_ID={{workspace-id}}  # dashscope workspace', why: 'workspace ID, not a key' },
    ],
  },
} satisfies Rule;
