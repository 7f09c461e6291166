'use strict';
/**
 * Realistic-looking text built from word lists: a pool of lines per file kind, generated once per corpus, from
 * which files are cut as slices. Decoys (UUIDs, hashes, `task-…`, `sk-` in prose, other vendors' keys,
 * placeholders) are mixed in; none of them may be reported.
 */

const WORDS = ('user data config client request response handler value result error item list index count name id ' +
  'token session cache store model query filter option path file stream buffer event message queue worker task ' +
  'service account region endpoint retry timeout limit offset page size status state context logger metrics').split(' ');
const PROSE = ('the a of to and in is for on with that this it as be are by from at or an not we can will more ' +
  'returns value when if each file before after only must should which model key request region call').split(' ');

const cap = (w) => w[0].toUpperCase() + w.slice(1);

function ident(r) {
  return r.pick(WORDS) + cap(r.pick(WORDS));
}

function prose(r, n) {
  const words = [];
  for (let i = 0; i < n; i++) words.push(r.pick(PROSE));
  return words.join(' ');
}

/** Lines that look like a kind of file; `decoy()` returns a line that looks like a key but is none. */
const LINE_MAKERS = {
  js: (r) => r.pick([
    () => `const ${ident(r)} = ${ident(r)}(${ident(r)}, ${r.int(1000)});`,
    () => `  if (${ident(r)} === '${r.pick(WORDS)}') return ${ident(r)}.${r.pick(WORDS)};`,
    () => `// ${prose(r, 6 + r.int(10))}`,
    () => `import { ${cap(ident(r))} } from './${r.pick(WORDS)}/${r.pick(WORDS)}';`,
    () => `export async function ${ident(r)}(${ident(r)}, options = {}) {`,
    () => `  await this.${ident(r)}.${r.pick(WORDS)}({ ${r.pick(WORDS)}: ${ident(r)}, ${r.pick(WORDS)}: ${r.int(99)} });`,
    () => '}',
    () => '',
  ])(),
  py: (r) => r.pick([
    () => `def ${r.pick(WORDS)}_${r.pick(WORDS)}(self, ${r.pick(WORDS)}, ${r.pick(WORDS)}=None):`,
    () => `    ${r.pick(WORDS)} = self.${r.pick(WORDS)}.get("${r.pick(WORDS)}", ${r.int(100)})`,
    () => `    # ${prose(r, 5 + r.int(10))}`,
    () => `from ${r.pick(WORDS)}.${r.pick(WORDS)} import ${cap(ident(r))}`,
    () => `    return [${r.pick(WORDS)} for ${r.pick(WORDS)} in ${r.pick(WORDS)}s if ${r.pick(WORDS)}]`,
    () => '',
  ])(),
  java: (r) => r.pick([
    () => `    private final ${cap(ident(r))} ${ident(r)} = new ${cap(ident(r))}();`,
    () => `    public ${cap(r.pick(WORDS))} get${cap(ident(r))}(String ${r.pick(WORDS)}) {`,
    () => `        return ${ident(r)}.${r.pick(WORDS)}(${r.pick(WORDS)}, ${r.int(500)});`,
    () => `    /** ${prose(r, 8 + r.int(8))} */`,
    () => '    }',
  ])(),
  go: (r) => r.pick([
    () => `func (s *${cap(ident(r))}) ${cap(ident(r))}(ctx context.Context, ${r.pick(WORDS)} string) error {`,
    () => `\t${r.pick(WORDS)}, err := s.${r.pick(WORDS)}.${cap(r.pick(WORDS))}(ctx, ${r.int(64)})`,
    () => '\tif err != nil {\n\t\treturn err\n\t}',
    () => `\t// ${prose(r, 6 + r.int(8))}`,
    () => '}',
  ])(),
  json: (r) => r.pick([
    () => `  "${ident(r)}": "${r.pick(WORDS)}-${r.int(10000)}",`,
    () => `  "${ident(r)}": ${r.int(100000)},`,
    () => `  "${r.pick(WORDS)}": { "enabled": ${r.next() < 0.5}, "${r.pick(WORDS)}": "${r.pick(WORDS)}" },`,
  ])(),
  yaml: (r) => r.pick([
    () => `${r.pick(WORDS)}_${r.pick(WORDS)}: ${r.pick(WORDS)}`,
    () => `  ${r.pick(WORDS)}: ${r.int(1000)}`,
    () => `  - name: ${r.pick(WORDS)}-${r.pick(WORDS)}`,
    () => `# ${prose(r, 6 + r.int(6))}`,
  ])(),
  md: (r) => r.pick([
    () => prose(r, 12 + r.int(20)) + '.',
    () => `## ${cap(prose(r, 3))}`,
    () => `- ${prose(r, 8)}`,
    () => '',
  ])(),
  env: (r) => `${r.pick(WORDS).toUpperCase()}_${r.pick(WORDS).toUpperCase()}=${r.pick(WORDS)}${r.int(100)}`,
  log: (r) => `2026-03-${String(1 + r.int(28)).padStart(2, '0')}T12:${String(r.int(60)).padStart(2, '0')}:00Z INFO ${r.pick(WORDS)} ${prose(r, 8)} id=${r.hex(8)}`,
};

/** Key-shaped strings that are not Model Studio keys, or are ours in a shape that must not be reported. */
function decoyLine(r, gen) {
  const uuid = () => gen.uuidHex().replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
  return r.pick([
    () => `const taskId = "task-${gen.uuidHex()}";`,
    () => `// Model keys start with sk- and are followed by hex digits; never commit them.`,
    () => `  "requestId": "${uuid()}",`,
    () => `  "sha256": "${r.hex(64)}",`,
    () => `commit ${r.hex(40)} first-${r.hex(32)}`,
    () => `  "integrity": "sha512-${Buffer.from(r.hex(64), 'hex').toString('base64')}",`,
    () => `DEEPSEEK_API_KEY=${gen.legacy()}`,
    () => `MOONSHOT_API_KEY=${gen.moonshot()}`,
    () => `WINDSURF_API_KEY=${gen.windsurf()}`,
    () => `MINIMAX_KEY=${gen.minimax()}`,
    () => `BAICHUAN_API_KEY=sk-${gen.hex32()}`,
    () => `api_key = "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`,
    () => `DASHSCOPE_API_KEY=sk-****  # set in CI`,
    () => `test-${r.hex(32)} build-st-${r.hex(24)}`,
  ])();
}

/** A pool of text for `kind`: lines joined by `eol`, about `bytes` long, one line in `decoyEvery` a decoy. */
function linePool(r, gen, kind, bytes, decoyEvery = 60) {
  const make = LINE_MAKERS[kind];
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const line = r.int(decoyEvery) === 0 ? decoyLine(r, gen) : make(r);
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

/** One minified line of `chars` characters, no newline. */
function minifiedLine(r, chars) {
  const parts = [];
  let size = 0;
  while (size < chars) {
    const p = r.pick([
      () => `var ${r.pick('abcdefghijklmn'.split(''))}=${r.int(1e6)};`,
      () => `function ${r.pick('opqrstuvw'.split(''))}(e,t){return e.${r.pick(WORDS)}(t)}`,
      () => `"${r.pick(WORDS)}":"${r.pick(WORDS)}",`,
      () => `if(e&&t.${r.pick(WORDS)})throw new Error("${prose(r, 4)}");`,
    ])();
    parts.push(p);
    size += p.length;
  }
  return parts.join('').slice(0, chars);
}

module.exports = { linePool, minifiedLine, prose, ident, decoyLine, WORDS };
