'use strict';
/**
 * Keys planted in corpora. Each snippet returns lines and, for each key, the rule that must report it and its
 * 0-based character offset in its line. Every snippet carries its vendor context on the key's own line, so
 * decoys of other vendors elsewhere in the file (which must win over farther Model Studio hints) cannot
 * change the verdict.
 */
const one = (ruleId, secret, wrap) => {
  const line = wrap(secret);
  return [{ text: line, keys: [{ ruleId, secret, at: line.indexOf(secret) }] }];
};

const SNIPPETS = [
  (g) => one('alibaba-model-studio-api-key', g.legacy(), (k) => `DASHSCOPE_API_KEY=${k}`),
  (g) => one('alibaba-model-studio-api-key', g.legacy(), (k) => `client = OpenAI(api_key="${k}", base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")`),
  (g) => one('alibaba-model-studio-api-key', g.legacy(), (k) => `    String apiKey = "${k}"; // DashScope qwen-max`),
  (g) => one('alibaba-model-studio-api-key', g.legacy(), (k) => `  "dashscope_api_key": "${k}",`),
  (g) => one('alibaba-model-studio-api-key', g.legacy(), (k) => `# 通义千问的密钥 DASHSCOPE_API_KEY="${k}"`),
  (g) => one('alibaba-model-studio-signed-api-key', g.signed(), (k) => `key = "${k}"`),
  (g) => one('alibaba-model-studio-plan-api-key', g.planHex(), (k) => `ALIBABA_CODING_PLAN_API_KEY=${k}`),
  (g) => one('alibaba-model-studio-plan-api-key', g.planSigned(), (k) => `export ANTHROPIC_AUTH_TOKEN="${k}"`),
  (g) => one('alibaba-model-studio-temporary-api-key', g.temporary(), (k) => `DASHSCOPE_TEMP_KEY=${k}`),
  (g) => {
    const id = g.accessKeyId();
    const secret = g.accessKeySecret();
    const a = `access_key_id = "${id}"`;
    const b = `access_key_secret = "${secret}"`;
    return [
      { text: a, keys: [{ ruleId: 'alibaba-cloud-access-key-id', secret: id, at: a.indexOf(id) }] },
      { text: b, keys: [{ ruleId: 'alibaba-cloud-access-key-secret', secret, at: b.indexOf(secret) }] },
    ];
  },
];

function snippet(r, gen) {
  return r.pick(SNIPPETS)(gen);
}

module.exports = { snippet, SNIPPETS };
