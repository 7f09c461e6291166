import { rmSync } from 'node:fs';
import { run } from '../src/cli/run';
import { expandTemplate, KeyGenerator, minifiedFiller } from './support/keys';
import { makeTree } from './support/temp-tree';

/**
 * Every key kind in every file type: each carrier is a small realistic file holding `{{name}} … {{key}}`; each
 * kind brings the variable name it is stored under. The line is written in the table; the column is where
 * `{{key}}` stands in that line of the template once the name is in (UTF-16 code units, as findings count).
 */
const KINDS = [
  { token: 'legacy', name: 'DASHSCOPE_API_KEY', ruleId: 'alibaba-model-studio-api-key', level: 'error' },
  { token: 'ws', name: 'DASHSCOPE_API_KEY', ruleId: 'alibaba-model-studio-signed-api-key', level: 'error' },
  { token: 'sp-hex', name: 'ALIBABA_CODING_PLAN_API_KEY', ruleId: 'alibaba-model-studio-plan-api-key', level: 'error' },
  { token: 'sp-signed', name: 'ALIBABA_TOKEN_PLAN_API_KEY', ruleId: 'alibaba-model-studio-plan-api-key', level: 'error' },
  { token: 'st', name: 'DASHSCOPE_TEMP_TOKEN', ruleId: 'alibaba-model-studio-temporary-api-key', level: 'note' },
  { token: 'ltai', name: 'ALIBABA_CLOUD_ACCESS_KEY_ID', ruleId: 'alibaba-cloud-access-key-id', level: 'warning' },
  { token: 'ak-secret', name: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', ruleId: 'alibaba-cloud-access-key-secret', level: 'error' },
] as const;

type Encoding = 'utf8' | 'crlf' | 'utf16le';

/** [file name, template, line of the key, encoding] */
const CARRIERS: [string, string, number, Encoding][] = [
  ['settings.py', 'import os\n\n{{name}} = "{{key}}"\n', 3, 'utf8'],
  ['config.js', '// runtime config\nprocess.env.{{name}} ??= "{{key}}";\n', 2, 'utf8'],
  ['env.ts', 'export const env: Record<string, string> = {\n  {{name}}: "{{key}}",\n};\n', 2, 'utf8'],
  ['settings.json', '{\n  "env": {\n    "{{name}}": "{{key}}"\n  }\n}\n', 3, 'utf8'],
  ['compose.yaml', 'services:\n  api:\n    environment:\n      {{name}}: "{{key}}"\n', 4, 'utf8'],
  ['.env', '# local\n{{name}}={{key}}\n', 2, 'utf8'],
  ['Dockerfile', 'FROM python:3.12-slim\nENV {{name}}={{key}}\nCMD ["python", "app.py"]\n', 2, 'utf8'],
  ['start.sh', "#!/bin/sh\nexport {{name}}='{{key}}'\nexec python app.py\n", 2, 'utf8'],
  ['README.md', '# Setup\n\n```bash\nexport {{name}}={{key}}\n```\n', 4, 'utf8'],
  ['application.properties', 'spring.application.name=demo\n{{name}}={{key}}\n', 2, 'utf8'],
  ['demo.ipynb', '{\n "cells": [{"cell_type": "code", "source": [\n  "import os\\n",\n  "os.environ[\\"{{name}}\\"] = \\"{{key}}\\"\\n"\n ]}],\n "nbformat": 4\n}\n', 4, 'utf8'],
  ['setenv.bat', '@echo off\nset {{name}}={{key}}\n', 2, 'crlf'],
  ['profile.ps1', '# PowerShell\n$env:{{name}} = "{{key}}"\n', 2, 'utf16le'],
  ['说明.txt', '配置说明\n# 密钥 {{name}}：{{key}}\n', 2, 'utf8'],
  ['bundle.min.js', `!function(){${minifiedFiller(100_000)};var e={{{name}}:"{{key}}"}}();\n`, 1, 'utf8'],
];

function encode(text: string, encoding: Encoding): Buffer {
  if (encoding === 'crlf') return Buffer.from(text.replace(/\n/g, '\r\n'));
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return Buffer.from(text);
}

describe('every key kind in every file type', () => {
  const gen = new KeyGenerator('file-types');
  const files: Record<string, Buffer> = {};
  const expected: { path: string; ruleId: string; level: string; startLine: number; startColumn: number; secret: string }[] = [];
  for (const kind of KINDS) {
    for (const [file, template, line, encoding] of CARRIERS) {
      const named = template.replaceAll('{{name}}', kind.name);
      const { text, values } = expandTemplate(named.replace('{{key}}', `{{${kind.token}}}`), gen);
      const path = `${kind.token}/${file}`;
      files[path] = encode(text, encoding);
      expected.push({
        path,
        ruleId: kind.ruleId,
        level: kind.level,
        startLine: line,
        startColumn: named.split('\n')[line - 1].indexOf('{{key}}') + 1,
        secret: values[values.length - 1].value,
      });
    }
  }

  it(`finds ${KINDS.length} kinds × ${CARRIERS.length} file types at the right line, column and level`, async () => {
    expect(expected.every((e) => e.startColumn > 0)).toBe(true);
    const tree = makeTree(files, 'file-types');
    try {
      const outcome = await run(['--format', 'json', '--show-secret', '.'], { cwd: tree.root, env: {} });
      const report = JSON.parse(outcome.stdout) as { findings: (typeof expected)[number][]; errors: unknown[] };
      expect(report.errors).toEqual([]);
      const got = report.findings.map(({ path, ruleId, level, startLine, startColumn, secret }) => ({ path, ruleId, level, startLine, startColumn, secret }));
      const byPlace = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
      expect(got.sort(byPlace)).toEqual([...expected].sort(byPlace));
    } finally {
      rmSync(tree.root, { recursive: true, force: true });
    }
  });
});
