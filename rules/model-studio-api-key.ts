import type { Rule } from '../src/types';
import { isUuidV4Hex } from '../src/detect/structure';
import { favouredVendor, LEFT, MODEL_STUDIO_REMEDIATION, modelStudioVerdict, sentDespiteNameNote, TAGS } from './shared';

/**
 * Pre-upgrade pay-as-you-go key: `sk-` + 32 lowercase hex, observed always a dash-less UUIDv4. DeepSeek issues
 * keys of the very same form, so only context tells them apart: error with Model Studio context, warning with
 * none, nothing when the context names another vendor.
 */
export const modelStudioApiKey = {
  id: 'alibaba-model-studio-api-key',
  name: 'AlibabaModelStudioApiKey',
  title: 'Alibaba Cloud Model Studio API key',
  description:
    'A pay-as-you-go Model Studio (DashScope / Bailian) API key in the pre-upgrade format (sk- and 32 hex digits). ' +
    'Anyone holding it can call every model of its workspace and the owner pays.',
  keywords: ['sk-'],
  startsWithKeyword: true,
  pattern: new RegExp(`${LEFT}(?<secret>sk-(?<body>[0-9a-f]{32}))(?![A-Za-z0-9_])`, 'gd'),
  // Exact lower tail (test/support/entropy-tail.ts, checked by test/detect/entropy-floors.test.ts): a random 32-hex
  // body, UUIDv4-shaped or not, has entropy under 2.45 bits with probability < 1e-9 (the 1e-9 quantile is 2.474);
  // the floor of 3.0 used before dropped one real key in 10,000.
  entropyFloor: 2.45,
  defaultLevel: 'error',
  classify: ({ body }, context) => {
    const vendor = favouredVendor(context);
    // Issued keys are observed to be UUIDv4-shaped; other 32-hex strings (Baichuan keys, hashes) count only
    // when a Model Studio name sits on the same line.
    if (!isUuidV4Hex(body)) {
      return vendor === 'model-studio' && context.modelStudio === 3
        ? { level: 'warning', confidence: 'medium', note: 'not in the usual UUID form' }
        : null;
    }
    switch (vendor) {
      case 'model-studio': {
        const note = sentDespiteNameNote(context);
        return note ? { level: 'error', confidence: 'medium', note } : modelStudioVerdict(context, 'error');
      }
      case 'other':
        return null;
      default:
        return {
          level: 'warning',
          confidence: 'low',
          note: context.otherVendor > 0 ? `Model Studio or ${context.otherVendorName} key` : 'Model Studio or DeepSeek key',
        };
    }
  },
  remediation: MODEL_STUDIO_REMEDIATION,
  precision: 'high',
  securitySeverity: '9.0',
  tags: TAGS,
  examples: {
    positive: [
      { text: 'DASHSCOPE_API_KEY={{legacy}}', level: 'error', span: { line: 1, column: 19, endColumn: 29 }, why: 'official variable name' },
      { text: 'client = OpenAI(api_key="{{legacy}}", base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")', level: 'error', span: { line: 1, column: 26, endColumn: 36 } },
      { text: 'OPENAI_API_KEY={{legacy}}\nOPENAI_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1', level: 'error', span: { line: 1, column: 16, endColumn: 26 }, why: 'hides under another vendor name' },
      { text: 'resp = call(model="qwen-plus", key="{{legacy}}")', level: 'error', span: { line: 1, column: 37, endColumn: 47 } },
      { text: 'api_key = "{{legacy}}"', level: 'warning', span: { line: 1, column: 12, endColumn: 22 }, why: 'no vendor context: Model Studio or DeepSeek' },
      { text: '# 通义千问的密钥 key: "{{legacy}}"', level: 'warning', span: { line: 1, column: 17, endColumn: 27 }, why: 'Chinese text before the key' },
      { text: '"outputs": [{"text": "DASHSCOPE_API_KEY is\\n{{legacy}}\\n"}]', level: 'error', span: { line: 1, column: 45, endColumn: 55 }, why: 'right after a \\n escape in a JSON string' },
      { text: 'DASHSCOPE_API_KEY={{legacy-run}}', level: 'error', span: { line: 1, column: 19, endColumn: 33 }, why: 'five equal digits: one real key in ~2,300' },
      { text: 'GET /v1/chat?model=qwen-plus&key=%22{{legacy}}%22', level: 'error', span: { line: 1, column: 37, endColumn: 47 }, why: 'right after a percent-encoded quote (proxy log)' },
      { text: 'dashscope: api_key%3D{{legacy}}', level: 'error', span: { line: 1, column: 22, endColumn: 32 }, why: 'right after a percent-encoded =' },
      { text: '"authorization": "Bearer%20{{legacy}}" // dashscope', level: 'error', span: { line: 1, column: 28, endColumn: 38 }, why: 'right after a percent-encoded space (HAR file)' },
      { text: '{"body": "{\\u0022api_key\\u0022: \\u0022{{legacy}}\\u0022, \\u0022model\\u0022: \\u0022qwen-max\\u0022}"}', level: 'error', span: { line: 1, column: 39, endColumn: 49 }, why: 'right after a \\u0022 escape (escaped JSON)' },
      { text: 'log("dashscope key=\\x27{{legacy}}\\x27")', level: 'error', span: { line: 1, column: 24, endColumn: 34 }, why: 'right after a \\x27 escape' },
      { text: 'DASHSCOPE_API_KEY=sk-{{hex32}}', level: 'warning', span: { line: 1, column: 19, endColumn: 31 }, why: 'not UUID-shaped, but named as a Model Studio key' },
      {
        text: '- model_name: qwen-max\n  litellm_params:\n    model: dashscope/qwen-max\n    api_key: {{legacy}}\n- model_name: deepseek-chat',
        level: 'error', span: { line: 4, column: 14, endColumn: 24 },
        why: 'the Model Studio block holds the key; the next block names DeepSeek',
      },
      {
        text: 'DEEPSEEK_API_KEY={{legacy}}\nDEEPSEEK_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1',
        level: 'error',
        span: { line: 1, column: 18, endColumn: 28 },
        why: 'where the key is sent (a Model Studio base URL in its block) outranks the vendor in its name; the message says both',
      },
      {
        text: 'deepseek:\n  base_url: https://dashscope-intl.aliyuncs.com/compatible-mode/v1\n  api_key: {{legacy}}\n  model: deepseek-v3',
        level: 'error',
        span: { line: 3, column: 12, endColumn: 22 },
        why: 'the same YAML object: the base URL above the key and a DeepSeek model below it',
      },
      {
        text: 'client = OpenAI(base_url="https://dashscope.aliyuncs.com/compatible-mode/v1",\n                api_key="{{legacy}}")  # deepseek-r1 via Bailian',
        level: 'error',
        span: { line: 2, column: 26, endColumn: 36 },
        why: 'the line that opens the call belongs to the block',
      },
    ],
    negative: [
      { text: 'DEEPSEEK_API_KEY={{legacy}}', why: 'DeepSeek context only' },
      { text: 'client = OpenAI(api_key="{{legacy}}", base_url="https://api.deepseek.com")' },
      { text: 'BAICHUAN_API_KEY=sk-{{hex32}}', why: 'Baichuan: 32 hex, not UUID-shaped' },
      { text: 'api_key = "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"' },
      { text: 'DASHSCOPE_API_KEY=sk-1234567890abcdef1234567890abcdef' },
      { text: 'DASHSCOPE_API_KEY=sk-00000000000000000000000000000000' },
      { text: 'ta{{legacy}}', why: 'glued to a word' },
      { text: 'DASHSCOPE_API_KEY=%41{{legacy}}', why: '%41 is the letter A: glued to a word, as "Ask-…" would be' },
      { text: 'dashscope \\x5f{{legacy}} \\u0062{{legacy}}', why: 'escaped _ and b: glued' },
      { text: 'blob = "{{sha256}}{{legacy}}{{sha1}}"  # dashscope', why: 'a hex run that merely contains sk-' },
      { text: 'MOONSHOT_API_KEY={{moonshot}}', why: '48 alphanumerics' },
      { text: 'DASHSCOPE_API_KEY=sk-****' },
      { text: 'DASHSCOPE_API_KEY=sk-abcdef1234567890abcdef1234567890', why: 'sequential placeholder' },
      { text: 'SILICONFLOW_API_KEY={{siliconflow}}', why: '48 lowercase letters' },
      { text: 'OPENAI_API_KEY={{openai-proj}}\nOPENAI_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1', why: 'OpenAI project key, even next to a Model Studio URL' },
      { text: 'OPENROUTER_API_KEY={{openrouter}}  # model: qwen/qwen3-coder', why: 'sk-or-v1- + 64 hex' },
      { text: 'ANTHROPIC_AUTH_TOKEN={{anthropic}}', why: 'Anthropic sk-ant-api03-' },
      { text: 'HUNYUAN_API_KEY={{tencent}}', why: 'Tencent sk-tp-' },
      { text: 'url = "https://dashscope.aliyuncs.com/api/v1/apps/{{uuid-hex}}/completion"', why: 'application ID, not a key' },
      {
        text: '- model_name: deepseek-chat\n  litellm_params:\n    model: deepseek/deepseek-chat\n    api_key: {{legacy}}\n- model_name: qwen-max\n  litellm_params:\n    model: dashscope/qwen-max',
        why: 'a DeepSeek block, followed by a Model Studio one: the closer hint is DeepSeek',
      },
      {
        text: '- model_name: deepseek-chat\n  litellm_params:\n    model: deepseek/deepseek-chat\n    api_key: {{legacy}}\n- model_name: qwen-max\n  litellm_params:\n    api_base: https://dashscope.aliyuncs.com/compatible-mode/v1',
        why: 'the Model Studio base URL is in the next list item, not in the key\'s object',
      },
      {
        text: 'DEEPSEEK_API_KEY={{legacy}}\n\nDASHSCOPE_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1',
        why: 'a blank line ends the block: the base URL configures something else',
      },
      {
        text: 'DEEPSEEK_API_KEY={{legacy}}\nDASHSCOPE_API_KEY=${DASHSCOPE_API_KEY}\nDASHSCOPE_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1',
        why: 'another credential\'s line ends the block: the base URL goes with DASHSCOPE_API_KEY',
      },
      {
        text: 'DEEPSEEK_API_KEY={{legacy}}\nDEEPSEEK_BASE_URL=https://api.deepseek.com\nFALLBACK_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1',
        why: 'sent to DeepSeek\'s host as well: the endpoints disagree, so the name decides',
      },
      {
        text: '    deepseek_api_key: {{legacy}}\n  base_url: https://dashscope.aliyuncs.com/compatible-mode/v1',
        why: 'the shallower line after the key belongs to the parent object, not to the key\'s',
      },
    ],
  },
} satisfies Rule;
