'use strict';
/**
 * babel/babel as a benchmark corpus: a real repository's history (branches and tags: ~18.9k commits, ~205k
 * blobs) and its working tree, rebuilt under .bench/ from a local copy of the repository and never committed.
 *
 * The copy is a bare mirror (`MS_LEAKSCAN_BENCH_BABEL`, default the path the session's fetch tool gives:
 * /work/.mirror/babel+babel/repo). Such mirrors may lack blobs (large ones, ≥ 4 MiB), on which `git log -p` and a
 * history scan both stop. So the history is re-imported: `git fast-export --no-data` of branches and tags (blobs by
 * id, the mirror lent as an alternate object store), each missing blob id replaced by the empty blob's, `git
 * fast-import`, then `git repack -a -d` so the result owns its objects (and only those the history reaches,
 * not pull-request refs) and the alternate is dropped. The working tree is `git archive` of the default branch.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const DEFAULT_MIRROR = '/work/.mirror/babel+babel/repo';
const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
const BUILD_VERSION = 1;

const git = (dir, args, options = {}) => execFileSync('git', ['-C', dir, ...args], { maxBuffer: 1 << 30, ...options });

/** Blob ids the history of branches and tags names but the mirror does not hold. */
function missingBlobs(mirror) {
  const out = git(mirror, ['rev-list', '--branches', '--tags', '--objects', '--missing=print']).toString();
  return out.split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1));
}

function buildHistory(mirror, dir, log) {
  fs.rmSync(dir, { recursive: true, force: true });
  execFileSync('git', ['init', '-q', dir]);
  const gitDir = path.join(dir, '.git');
  fs.writeFileSync(path.join(gitDir, 'objects', 'info', 'alternates'), `${path.join(mirror, 'objects')}\n`);
  git(dir, ['hash-object', '-w', '--stdin'], { input: '' });
  const missing = missingBlobs(mirror);
  log(`  ${missing.length} blob(s) missing from the mirror, replaced by the empty blob: ${missing.map((m) => m.slice(0, 12)).join(', ') || 'none'}`);
  // sed on the stream: a missing id appears as the blob of an `M` line (and, harmlessly, wherever else it is quoted).
  const replace = missing.map((oid) => `-e 's/${oid}/${EMPTY_BLOB}/g'`).join(' ') || "-e ''";
  execFileSync(
    'sh',
    ['-c', `git -C "$MIRROR" fast-export --no-data --signed-tags=strip --tag-of-filtered-object=drop --branches --tags | sed ${replace} | git -C "$DIR" fast-import --quiet`],
    { env: { ...process.env, MIRROR: mirror, DIR: dir }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  log('  repacking (the copy keeps only what its history reaches) …');
  git(dir, ['repack', '-a', '-d', '-q']);
  fs.rmSync(path.join(gitDir, 'objects', 'info', 'alternates'));
  git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
}

/**
 * The babel history (a repository whose work tree is left empty: a history scan reads only objects) and its
 * working tree, built once under `root`. Returns undefined with a log line when there is no mirror.
 */
function ensureBabel(root, log) {
  const mirror = process.env.MS_LEAKSCAN_BENCH_BABEL || DEFAULT_MIRROR;
  const historyDir = path.join(root, 'babel-full');
  const treeDir = path.join(root, 'tree-babel');
  const marker = path.join(root, 'babel.manifest.json');
  if (fs.existsSync(marker) && JSON.parse(fs.readFileSync(marker, 'utf8')).version === BUILD_VERSION) {
    return { historyDir, treeDir, manifest: JSON.parse(fs.readFileSync(marker, 'utf8')) };
  }
  if (!fs.existsSync(path.join(mirror, 'objects'))) {
    log(`babel: no mirror at ${mirror} (set MS_LEAKSCAN_BENCH_BABEL to a bare copy of github.com/babel/babel); skipped`);
    return undefined;
  }
  const t0 = Date.now();
  log(`building babel-full from ${mirror} …`);
  buildHistory(mirror, historyDir, log);
  fs.rmSync(treeDir, { recursive: true, force: true });
  fs.mkdirSync(treeDir, { recursive: true });
  execFileSync('sh', ['-c', 'git -C "$DIR" archive --format=tar main | tar -x -C "$TREE"'], { env: { ...process.env, DIR: historyDir, TREE: treeDir } });
  const count = (args) => Number(git(historyDir, args).toString().trim());
  const files = Number(execFileSync('sh', ['-c', 'find "$TREE" -type f | wc -l'], { env: { ...process.env, TREE: treeDir } }).toString().trim());
  const bytes = Number(execFileSync('sh', ['-c', 'find "$TREE" -type f -printf "%s\\n" | paste -sd+ | bc'], { env: { ...process.env, TREE: treeDir } }).toString().trim());
  const manifest = { version: BUILD_VERSION, commits: count(['rev-list', '--all', '--count']), head: git(historyDir, ['rev-parse', 'main']).toString().trim(), files, bytes, keys: [] };
  fs.writeFileSync(marker, JSON.stringify(manifest, null, 1));
  log(`  ${manifest.commits} commits; working tree ${files} files, ${(bytes / 1048576).toFixed(0)} MB; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return { historyDir, treeDir, manifest };
}

module.exports = { ensureBabel };
