'use strict';
/**
 * A configuration-heavy working tree, the worst ordinary case for keyword-driven rules: Kubernetes manifests,
 * Helm values, Spring `application.yml` / `.properties`, `.env`, Terraform `.tf` / `.tfvars` and docker-compose
 * files where `secret`, `token`, `key` and `password` are on every few lines, next to digests, base64 data and
 * long identifiers (what a 30-character pattern run around each `secret` has to reject). Keys are planted at
 * recorded places, as in corpus.js, by the same snippets plus config-shaped ones.
 */
const fs = require('node:fs');
const path = require('node:path');
const { prng } = require('./prng');
const { cachedTree, slice, countLines } = require('./corpus');
const { snippet } = require('./plants');
const { decoyLine } = require('./text');
const { loadKeyGenerator, fingerprint, ROOT } = require('./keys');

const GENERATOR_VERSION = 1;
const MB = 1024 * 1024;
const CONFIG_CORPORA = {
  config: { files: 20000, seed: 11, minSize: 500, maxSize: 60000 },
};

const SERVICES = 'api auth billing catalog checkout gateway inventory ledger notify orders payments profile search shipping users worker'.split(' ');
const ENVS = 'dev staging prod eu-west cn-hangzhou ap-southeast-1'.split(' ');
const WORDS = 'db redis kafka oauth jwt session smtp s3 oss webhook signing encryption client admin service'.split(' ');

const b64 = (r, bytes) => Buffer.from(r.hex(bytes * 2), 'hex').toString('base64');
const svc = (r) => r.pick(SERVICES);
const word = (r) => r.pick(WORDS);

/** Blocks of each kind of file; each returns lines. Values near a secret's name are never 30 alphanumerics. */
const BLOCKS = {
  k8s: [
    (r) => ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${svc(r)}-${word(r)}-secret`, `  namespace: ${r.pick(ENVS)}`, 'type: Opaque', 'data:',
      `  ${word(r)}-password: ${b64(r, 18 + r.int(30))}`, `  ${word(r)}-token: ${b64(r, 32)}`, `  secret-key: ${b64(r, 24)}`, '---'],
    (r) => ['        env:', `          - name: ${word(r).toUpperCase()}_PASSWORD`, '            valueFrom:', '              secretKeyRef:',
      `                name: ${svc(r)}-secret`, '                key: password', `          - name: ${word(r).toUpperCase()}_API_TOKEN`,
      '            valueFrom:', '              secretKeyRef:', `                name: ${svc(r)}-tokens`, `                key: ${word(r)}-token`],
    (r) => ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${svc(r)}`, '  annotations:',
      `    checksum/secret: ${r.hex(64)}`, `    checksum/config: ${r.hex(64)}`, 'spec:', `  replicas: ${1 + r.int(6)}`, '  template:', '    spec:',
      `      serviceAccountName: ${svc(r)}-sa`, '      containers:', `        - name: ${svc(r)}`, `          image: registry.example.com/${svc(r)}@sha256:${r.hex(64)}`,
      '          resources:', `            limits: { cpu: ${1 + r.int(4)}, memory: ${256 * (1 + r.int(8))}Mi }`, '      volumes:', '        - name: secrets',
      '          secret:', `            secretName: ${svc(r)}-${word(r)}-secret`, '---'],
    (r) => ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${svc(r)}-config`, 'data:', `  TOKEN_TTL: "${60 * (1 + r.int(60))}"`,
      `  KEY_ROTATION_DAYS: "${1 + r.int(90)}"`, `  SECRET_STORE: vault://${svc(r)}/${word(r)}`, `  LOG_LEVEL: ${r.pick(['info', 'debug', 'warn'])}`, '---'],
  ],
  helm: [
    (r) => ['secrets:', `  enabled: ${r.next() < 0.5}`, `  existingSecret: "${svc(r)}-credentials"`, `  secretKey: ${word(r)}-key`, `  tokenKey: ${word(r)}-token`],
    (r) => [`${word(r)}:`, '  auth:', `    username: ${svc(r)}`, '    password: ""', `    existingSecret: ${svc(r)}-${word(r)}`, `    secretKeys:`,
      `      adminPasswordKey: ${word(r)}-admin-password`, `      userPasswordKey: ${word(r)}-password`],
    (r) => ['image:', `  repository: registry.example.com/${svc(r)}`, `  tag: "${r.int(9)}.${r.int(30)}.${r.int(20)}"`, `  digest: sha256:${r.hex(64)}`,
      'imagePullSecrets:', `  - name: ${svc(r)}-registry-secret`],
    (r) => ['oauth:', `  clientId: ${svc(r)}-${r.hex(12)}`, '  clientSecret: "{{ .Values.global.oauthClientSecret }}"', `  tokenUrl: https://auth.example.com/${svc(r)}/token`,
      `  jwksKeyId: ${r.hex(40)}`],
  ],
  spring: [
    (r) => ['spring:', '  datasource:', `    url: jdbc:postgresql://db.${r.pick(ENVS)}.internal:5432/${svc(r)}`, `    username: ${svc(r)}`,
      '    password: ${DB_PASSWORD}', '  security:', '    oauth2:', '      client:', '        registration:', `          ${svc(r)}:`,
      `            client-id: ${svc(r)}-${r.hex(16)}`, '            client-secret: ${OAUTH_CLIENT_SECRET:changeme}'],
    (r) => ['jwt:', `  secret-key: \${JWT_SECRET_KEY}`, `  token-validity-seconds: ${3600 * (1 + r.int(24))}`, `  signing-key-id: ${r.hex(32)}`,
      'management:', '  endpoints:', '    web:', '      exposure:', '        include: health,info,metrics'],
  ],
  properties: [
    (r) => [`spring.datasource.password=\${${word(r).toUpperCase()}_PASSWORD}`, `${svc(r)}.client.secret=\${${svc(r).toUpperCase()}_CLIENT_SECRET:}`,
      `${svc(r)}.api.token-header=X-${svc(r)}-Token`, `${svc(r)}.secret.checksum=${r.hex(64)}`, `security.key-store-password=\${KEYSTORE_PASSWORD}`,
      `server.ssl.key-alias=${svc(r)}-${r.int(100)}`],
    (r) => [`# ${word(r)} credentials are injected from the secret store`, `${word(r)}.secret-ref=vault:${svc(r)}/${word(r)}#${r.hex(8)}`,
      `${word(r)}.token.ttl=${r.int(10000)}`, `${word(r)}.key.rotation=${r.int(90)}d`],
  ],
  env: [
    (r) => [`${word(r).toUpperCase()}_SECRET=${r.hex(64)}`, `${word(r).toUpperCase()}_TOKEN=tok_${r.hex(40)}`, `${word(r).toUpperCase()}_PASSWORD=changeme-${r.int(1000)}`,
      `SECRET_KEY_BASE=${r.hex(128)}`],
    (r) => [`${svc(r).toUpperCase()}_URL=https://${svc(r)}.${r.pick(ENVS)}.example.com`, `${word(r).toUpperCase()}_KEY_ID=${r.hex(20)}`,
      `SESSION_SECRET=${b64(r, 48)}`, `WEBHOOK_SIGNING_SECRET=whsec_${b64(r, 24)}`],
  ],
  tf: [
    (r) => [`variable "${word(r)}_password" {`, '  type      = string', '  sensitive = true', '}', '',
      `resource "alicloud_kms_secret" "${svc(r)}_${word(r)}" {`, `  secret_name = "${svc(r)}-${word(r)}-token"`, `  secret_data = var.${word(r)}_password`,
      `  version_id  = "v${r.int(9)}"`, `  description = "${svc(r)} ${word(r)} secret, rotated by the key service"`, '}', ''],
    (r) => [`resource "kubernetes_secret" "${svc(r)}" {`, '  metadata {', `    name      = "${svc(r)}-secret"`, `    namespace = "${r.pick(ENVS)}"`, '  }',
      '  data = {', `    token    = var.${word(r)}_token`, `    password = random_password.${word(r)}.result`, '  }', '}', ''],
  ],
  tfvars: [
    (r) => [`${word(r)}_password = "\${var.${word(r)}_secret}"`, `${word(r)}_token_ttl = ${r.int(3600)}`, `kms_key_id = "key-${r.hex(24)}"`,
      `secret_rotation_days = ${r.int(90)}`, `region = "${r.pick(ENVS)}"`],
  ],
  compose: [
    (r) => ['services:', `  ${svc(r)}:`, `    image: registry.example.com/${svc(r)}@sha256:${r.hex(64)}`, '    environment:',
      `      - SECRET_KEY=\${SECRET_KEY}`, `      - ${word(r).toUpperCase()}_PASSWORD=\${${word(r).toUpperCase()}_PASSWORD}`, `      - API_TOKEN_FILE=/run/secrets/${word(r)}_token`,
      '    secrets:', `      - ${word(r)}_secret`, 'secrets:', `  ${word(r)}_secret:`, `    file: ./secrets/${word(r)}.txt`],
  ],
};

/** Lines that say none of the busy words: labels, resources, comments. */
const FILLER = [
  (r) => `  app.kubernetes.io/name: ${svc(r)}`,
  (r) => `    cpu: ${100 * (1 + r.int(20))}m`,
  (r) => `# ${svc(r)} ${r.pick(ENVS)} settings, owned by the ${svc(r)} team`,
  (r) => `  timeoutSeconds: ${r.int(120)}`,
  (r) => `  - containerPort: ${1000 + r.int(9000)}`,
  (r) => `${word(r)}.pool.max-size=${r.int(200)}`,
  (r) => `    key: ${word(r)}-${r.int(100)}`,
  (r) => `  tokenTtlSeconds: ${r.int(86400)}`,
  (r) => `${word(r)}.password-policy.min-length=${8 + r.int(16)}`,
  (r) => `  - key: ${svc(r)}/${word(r)}`,
  (r) => `    value: "${r.pick(ENVS)}-${r.hex(12)}"`,
  (r) => `  replicaCount: ${1 + r.int(9)}`,
];

const KINDS = [
  // [kind, weight, path of file i]
  ['k8s', 24, (i) => `deploy/${SERVICES[i % SERVICES.length]}/k8s/${['deployment', 'secret', 'configmap'][i % 3]}-${i}.yaml`],
  ['helm', 16, (i) => `charts/${SERVICES[i % SERVICES.length]}/values-${ENVS[i % ENVS.length]}-${i}.yaml`],
  ['spring', 14, (i) => `services/${SERVICES[i % SERVICES.length]}-${i % 40}/src/main/resources/application-${i}.yml`],
  ['properties', 10, (i) => `services/${SERVICES[i % SERVICES.length]}-${i % 40}/src/main/resources/application-${i}.properties`],
  ['env', 8, (i) => `services/${SERVICES[i % SERVICES.length]}-${i % 40}/env-${i}/.env${i % 2 ? '.production' : ''}`],
  ['tf', 12, (i) => `infra/${ENVS[i % ENVS.length]}/module-${i % 60}/main-${i}.tf`],
  ['tfvars', 6, (i) => `infra/${ENVS[i % ENVS.length]}/module-${i % 60}/terraform-${i}.tfvars`],
  ['compose', 10, (i) => `compose/${SERVICES[i % SERVICES.length]}/docker-compose-${i}.yml`],
];
const KIND_WEIGHT = KINDS.reduce((n, k) => n + k[1], 0);

/** Config-shaped plants: each key on a line saying what it is, as real leaks in such files do. */
const CONFIG_SNIPPETS = [
  (g) => {
    const id = g.accessKeyId();
    const secret = g.accessKeySecret();
    const a = `  ALIBABA_CLOUD_ACCESS_KEY_ID: "${id}"`;
    const b = `  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "${secret}"`;
    return [{ text: a, keys: [{ ruleId: 'alibaba-cloud-access-key-id', secret: id, at: a.indexOf(id) }] },
      { text: b, keys: [{ ruleId: 'alibaba-cloud-access-key-secret', secret, at: b.indexOf(secret) }] }];
  },
  (g) => {
    const secret = g.accessKeySecret();
    const a = `alibaba.cloud.access-key-secret=${secret}`;
    return [{ text: a, keys: [{ ruleId: 'alibaba-cloud-access-key-secret', secret, at: a.indexOf(secret) }] }];
  },
  (g) => {
    const key = g.legacy();
    const a = `  DASHSCOPE_API_KEY: "${key}"`;
    return [{ text: a, keys: [{ ruleId: 'alibaba-model-studio-api-key', secret: key, at: a.indexOf(key) }] }];
  },
];

/**
 * The generator, re-drawing AccessKey secrets the engine deliberately takes for typed placeholders (a random
 * secret holding "xxxx" or "Your": about one in 100,000), so a plant is always a key the engine must report.
 */
function drawsNoPlaceholders(gen) {
  const { isPlaceholder } = require(path.join(ROOT, 'dist', 'src', 'detect', 'entropy.js'));
  const draw = gen.accessKeySecret.bind(gen);
  gen.accessKeySecret = () => {
    let secret = draw();
    while (isPlaceholder(secret)) secret = draw();
    return secret;
  };
  return gen;
}

function pool(r, gen, kind, bytes) {
  const blocks = BLOCKS[kind];
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const x = r.int(100);
    const add = x < 1 ? [decoyLine(r, gen)] : x < 3 ? r.pick(blocks)(r) : [r.pick(FILLER)(r), r.pick(FILLER)(r), r.pick(FILLER)(r)];
    for (const l of add) {
      lines.push(l);
      size += l.length + 1;
    }
  }
  return lines.join('\n') + '\n';
}


function generateConfigTree(dir, name) {
  const spec = CONFIG_CORPORA[name];
  const r = prng(spec.seed * 7919);
  const { KeyGenerator } = loadKeyGenerator();
  const gen = drawsNoPlaceholders(new KeyGenerator(`bench-${name}`));
  const pools = Object.fromEntries(KINDS.map(([kind]) => [kind, pool(r, gen, kind, 3 * MB)]));
  const made = new Set();
  const keys = [];
  let bytes = 0;
  let secretWords = 0;
  const write = (rel, text) => {
    const abs = path.join(dir, rel);
    const parent = path.dirname(abs);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
    secretWords += (text.match(/secret/gi) ?? []).length;
  };
  for (let i = 0; i < spec.files; i++) {
    let x = r.int(KIND_WEIGHT);
    const [kind, , pathOf] = KINDS.find((k) => (x -= k[1]) < 0);
    const size = Math.round(Math.exp(Math.log(spec.minSize) + r.next() * Math.log(spec.maxSize / spec.minSize)));
    const rel = pathOf(i);
    let text = slice(r, pools[kind], size);
    if (r.int(150) === 0) {
      const lines = r.int(2) ? snippet(r, gen) : r.pick(CONFIG_SNIPPETS)(gen);
      const cut = text.indexOf('\n', text.length >> 1) + 1;
      const before = text.slice(0, cut);
      const line = countLines(before) + 1;
      lines.forEach((l, n) => {
        for (const k of l.keys) keys.push({ path: rel, line: line + n, column: k.at + 1, ruleId: k.ruleId, fingerprint: fingerprint(k.ruleId, k.secret) });
      });
      text = before + lines.map((l) => l.text).join('\n') + '\n' + text.slice(cut);
    }
    write(rel, text);
  }
  return { name, files: spec.files, bytes, secretWords, keys };
}

/** Path of config corpus `name` under `root`, generated when missing (or from an older generator). */
function ensureConfigTree(root, name, log) {
  return cachedTree(root, name, GENERATOR_VERSION, (dir) => generateConfigTree(dir, name), log, (m) => `"secret" ${m.secretWords} times, ${m.keys.length} keys`);
}

module.exports = { ensureConfigTree, CONFIG_CORPORA };
