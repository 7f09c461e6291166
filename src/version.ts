import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface PackageInfo {
  name: string;
  version: string;
  homepage?: string;
}

let cached: PackageInfo | undefined;

/** Our own package.json, found upward from this file (the same from src/ under ts-jest and from dist/). */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageInfo;
      if (pkg.name === 'ms-leakscan') return (cached = pkg);
    }
    if (path.dirname(dir) === dir) return (cached = { name: 'ms-leakscan', version: '0.0.0' });
  }
}
