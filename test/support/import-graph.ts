import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { testToolPath } from './tools';

const ROOT = path.resolve(__dirname, '..', '..');
/** A test tool (test-tools/package.json), not a devDependency: an install from git stays small. */
const CRUISER = testToolPath('dependency-cruiser', 'bin', 'dependency-cruise.mjs');

export interface ImportGraph {
  /** Rule name and the import that broke it, `from → to`. */
  violations: string[];
  /** Module → the modules it imports (paths relative to `cwd`, forward slashes). */
  imports: Map<string, string[]>;
}

/** Runs dependency-cruiser with our layering rules (.dependency-cruiser.cjs) over `roots` in `cwd`. */
export function cruise(cwd: string, roots: readonly string[], config = path.join(ROOT, '.dependency-cruiser.cjs')): ImportGraph {
  let output: string;
  try {
    output = execFileSync(process.execPath, [CRUISER, '--config', config, '--output-type', 'json', ...roots], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (error) {
    // dependency-cruiser exits non-zero when a rule is broken; the report is still on standard output.
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    output = stdout;
  }
  const report = JSON.parse(output) as {
    modules: { source: string; dependencies: { resolved: string; coreModule?: boolean; couldNotResolve?: boolean }[] }[];
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  const imports = new Map<string, string[]>();
  for (const module of report.modules) {
    imports.set(module.source, module.dependencies.filter((d) => !d.coreModule && !d.couldNotResolve && !d.resolved.startsWith('node_modules/')).map((d) => d.resolved));
  }
  return { violations: report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`), imports };
}

/** The stage a module belongs to: its folder under src/ (a file directly in src/ is a stage of its own), else its top folder. */
export function stageOf(module: string): string {
  const parts = module.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : module;
  return parts[0];
}

/** Cycles between stages (folders): each as the stages it goes through, found as strongly connected components. */
export function stageCycles(imports: ReadonlyMap<string, readonly string[]>): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const [from, tos] of imports) {
    const a = stageOf(from);
    if (!edges.has(a)) edges.set(a, new Set());
    for (const to of tos) {
      const b = stageOf(to);
      if (b !== a) edges.get(a)?.add(b);
    }
  }
  // Tarjan's algorithm; the graph has a few dozen nodes, so recursion depth is no concern.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
