import path from 'node:path';

/** Where `npm test` installs the test-only tools (scripts/test-tools.js, test-tools/package.json). */
const TOOLS = path.join(__dirname, '..', '..', 'test-tools', 'node_modules');

/** A file inside one of the test-only tools' packages. */
export function testToolPath(...parts: string[]): string {
  return path.join(TOOLS, ...parts);
}
