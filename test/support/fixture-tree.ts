import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandTemplate, KeyGenerator } from './keys';

/**
 * Fixture templates live in fixtures/<tree>/ with keys written as tokens (`{{legacy}}`), so the repository holds
 * no key-shaped string. A template's last suffix can ask for an encoding the repository should not hold as is:
 *   `name.crlf`     → `name`, lines ended by CRLF
 *   `name.utf16le`  → `name`, UTF-16LE with a byte-order mark
 */
const TRANSFORMS: Partial<Record<string, (text: string) => Buffer>> = {
  '.crlf': (text) => Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8'),
  '.utf16le': (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
};

export const FIXTURES_DIR = path.resolve(__dirname, '../../fixtures');

export interface PlantedValue {
  token: string;
  value: string;
}

export interface MaterialisedTree {
  root: string;
  /** Tokens planted in each file (path relative to root, forward slashes), in order of appearance. */
  planted: Map<string, PlantedValue[]>;
  /** Each file's text as written (before any encoding transform), for checking spans. */
  texts: Map<string, string>;
  remove(): void;
}

function listTemplates(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listTemplates(path.join(dir, entry.name), rel));
    else if (entry.isFile() && !(prefix === '' && entry.name === 'expected.json')) out.push(rel);
  }
  return out.sort();
}

/** Writes fixtures/<tree>/ into a fresh temp folder with synthetic keys in place of the tokens. */
export function materialiseFixture(tree: string, seed = `fixture-${tree}`): MaterialisedTree {
  const source = path.join(FIXTURES_DIR, tree);
  const root = mkdtempSync(path.join(os.tmpdir(), `ms-leakscan-${tree}-`));
  const planted = new Map<string, PlantedValue[]>();
  const texts = new Map<string, string>();
  for (const rel of listTemplates(source)) {
    // One generator per file: a file's values do not change when another template is edited.
    const gen = new KeyGenerator(`${seed}:${rel}`);
    const { text, values } = expandTemplate(readFileSync(path.join(source, rel), 'utf8'), gen);
    const suffix = path.extname(rel);
    const transform = TRANSFORMS[suffix];
    const target = transform ? rel.slice(0, -suffix.length) : rel;
    mkdirSync(path.dirname(path.join(root, target)), { recursive: true });
    writeFileSync(path.join(root, target), transform ? transform(text) : text);
    planted.set(target, values);
    texts.set(target, text);
  }
  return { root, planted, texts, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** The expectations file of a fixture tree. */
export function readExpected<T>(tree: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, tree, 'expected.json'), 'utf8')) as T;
}
