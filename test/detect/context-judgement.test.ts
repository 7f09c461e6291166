import { builtinRules } from '../../rules';
import { detectFragment } from '../../src/detect/detect';
import { expandTemplate, KeyGenerator } from '../support/keys';

// Issue 13, context: the three judgements a reviewer makes that the rules got wrong, with the message each gives.
const gen = new KeyGenerator('context-judgement');

function found(template: string): { ruleId: string; level: string; line: number; column: number; message: string }[] {
  const { text } = expandTemplate(template, gen);
  return detectFragment({ path: 'x', bytes: Buffer.from(text) }, builtinRules).findings.map((f) => ({
    ruleId: f.ruleId,
    level: f.level,
    line: f.startLine,
    column: f.startColumn,
    message: f.message,
  }));
}

describe('context judgement', () => {
  it.each([
    [
      'DEEPSEEK_API_KEY={{legacy}}\nDEEPSEEK_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1',
      [{ ruleId: 'alibaba-model-studio-api-key', level: 'error', line: 1, column: 18, message: "Alibaba Cloud Model Studio API key (named as a DeepSeek key but sent to Model Studio's endpoint), region China (Beijing)" }],
    ],
    [
      'MOONSHOT_API_KEY={{legacy}}\nMOONSHOT_BASE_URL=https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
      [{ ruleId: 'alibaba-model-studio-api-key', level: 'error', line: 1, column: 18, message: "Alibaba Cloud Model Studio API key (named as a Moonshot key but sent to Model Studio's endpoint), region Singapore" }],
    ],
    ['OPENAI_API_KEY={{legacy}}\nOPENAI_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1', [{ ruleId: 'alibaba-model-studio-api-key', level: 'error', line: 1, column: 16, message: 'Alibaba Cloud Model Studio API key, region China (Beijing)' }]],
    ['DEEPSEEK_API_KEY={{legacy}}\nDEEPSEEK_BASE_URL=https://api.deepseek.com', []],
  ])('where the key is sent: %j', (template, expected) => {
    expect(found(template)).toEqual(expected);
  });

  it('an AccessKey ID in a presigned OSS result URL is a note that says why', () => {
    const template = '![result](https://dashscope-result-sh.oss-cn-shanghai.aliyuncs.com/a/b.png?Expires=1767225600&OSSAccessKeyId={{ltai}}&Signature={{oss-signature}})';
    expect(found(template)).toEqual([
      { ruleId: 'alibaba-cloud-access-key-id', level: 'note', line: 1, column: template.indexOf('{{ltai}}') + 1, message: 'Alibaba Cloud AccessKey ID (in a presigned OSS URL: the ID only, no secret)' },
    ]);
  });

  it.each([
    ['q=%22{{legacy}}%22&m=qwen', 6],
    ['q=%3d{{legacy}} dashscope', 6],
    ['Authorization: Bearer%20{{legacy}} dashscope', 25],
    ['{"a": "\\u0022{{legacy}}\\u0022"} dashscope', 14],
    ['{"a": "\\u3000{{legacy}}"} dashscope', 14],
  ])('a key right after an escaped delimiter is found in place: %j', (template, column) => {
    expect(found(template).map((f) => [f.ruleId, f.line, f.column])).toEqual([['alibaba-model-studio-api-key', 1, column]]);
  });

  it.each([['q=%41{{legacy}} dashscope'], ['q=%5f{{legacy}} dashscope'], ['x\\u0061{{legacy}} dashscope'], ['{{sha1}}{{legacy}} dashscope']])(
    'an escaped word character or a run of hex stays glued: %j',
    (template) => {
      expect(found(template).filter((f) => f.ruleId === 'alibaba-model-studio-api-key')).toEqual([]);
    },
  );
});
