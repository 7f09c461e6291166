/**
 * The pipeline's layering, checked by test/architecture.test.ts (run by `npm test`):
 *
 *   sources ──► engine (fragmenter on threads ──► detect) ──► attribution ──► report
 *
 * An import may only point down the flow. Folder-level cycles are checked by the test itself (dependency-cruiser's
 * `circular` works on modules). Rule names are what a failure prints: they say which stage may not import which.
 */
module.exports = {
  forbidden: [
    {
      name: 'detect-is-pure',
      comment: 'Detection takes fragments and returns findings: it imports no source, engine, report, cli or git code.',
      severity: 'error',
      from: { path: '^src/detect/' },
      to: { path: '^src/(sources|engine|report|cli|git|action|verify|pipeline)' },
    },
    {
      name: 'sources-do-not-scan',
      comment: 'A source lists units and produces fragments; the engine scans them. Sources never import the engine or later stages.',
      severity: 'error',
      from: { path: '^src/sources/' },
      to: { path: '^src/(engine|report|cli|action|verify|pipeline|api)' },
    },
    {
      name: 'engine-knows-no-source',
      comment: 'The engine scans units from any source: it imports no particular source, nor later stages.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(sources/(?!open-regular)|report|cli|action|pipeline|api)' },
    },
    {
      name: 'decoders-are-pure',
      comment: 'Decoders and archive readers turn bytes into bytes: they import no source, engine, report, cli or git code.',
      severity: 'error',
      from: { path: '^src/(decode|archive)/' },
      to: { path: '^src/(sources|engine|report|cli|git|action|verify|pipeline|api)' },
    },
    {
      name: 'fragments-know-no-stage-above',
      comment: 'The fragmenter cuts bytes into fragments for detection: it imports no engine, source listing, report or cli code.',
      severity: 'error',
      from: { path: '^src/fragments/' },
      to: { path: '^src/(engine|report|cli|action|verify|pipeline|api|sources/(?!open-regular))' },
    },
    {
      name: 'report-formats-only',
      comment: 'Reporters format a result: they import no source, engine, git or cli code.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/(sources|engine|git|cli|action|pipeline)' },
    },
    {
      name: 'cli-is-the-top',
      comment: 'Nothing imports the CLI (it loads yargs) but the bin file and the Action entry.',
      severity: 'error',
      from: { pathNot: '^(src/cli/|src/action/|bin/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
