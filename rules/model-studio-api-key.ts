import type { Rule } from '../src/types';
import { isUuidV4Hex } from '../src/detect/structure';
import { favouredVendor, LEFT, MODEL_STUDIO_REMEDIATION, modelStudioVerdict, TAGS } from './shared';

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
      case 'model-studio':
        return modelStudioVerdict(context, 'error');
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
      { text: 'DASHSCOPE_API_KEY={{legacy}}', level: 'error', why: 'official variable name' },
      { text: 'client = OpenAI(api_key="{{legacy}}", base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")', level: 'error' },
      { text: 'OPENAI_API_KEY={{legacy}}\nOPENAI_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1', level: 'error', why: 'hides under another vendor name' },
      { text: 'resp = call(model="qwen-plus", key="{{legacy}}")', level: 'error' },
      { text: 'api_key = "{{legacy}}"', level: 'warning', why: 'no vendor context: Model Studio or DeepSeek' },
      { text: '# 通义千问的密钥 key: "{{legacy}}"', level: 'warning', why: 'Chinese text before the key' },
      { text: '"outputs": [{"text": "DASHSCOPE_API_KEY is\\n{{legacy}}\\n"}]', level: 'error', why: 'right after a \\n escape in a JSON string' },
      { text: 'DASHSCOPE_API_KEY={{legacy-run}}', level: 'error', why: 'five equal digits: one real key in ~2,300' },
      { text: 'DASHSCOPE_API_KEY=sk-{{hex32}}', level: 'warning', why: 'not UUID-shaped, but named as a Model Studio key' },
      {
        text: '- model_name: qwen-max\n  litellm_params:\n    model: dashscope/qwen-max\n    api_key: {{legacy}}\n- model_name: deepseek-chat',
        level: 'error',
        why: 'the Model Studio block holds the key; the next block names DeepSeek',
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
    ],
  },
} satisfies Rule;
