import generatedValidate from './validate-config';

/**
 * Config validation: ajv's standalone code for schema/ms-leakscan.schema.json (src/config/validate-config.ts,
 * generated at build time by scripts/build-config-validator.js), with its errors worded as ours: one line naming
 * the field and the fix.
 */

/** What ajv reports per problem (with its `verbose` option: the failing schema and value). */
interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  schema?: unknown;
  parentSchema?: Record<string, unknown>;
  data?: unknown;
}

type GeneratedValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
const validateGenerated = generatedValidate as GeneratedValidator;

/** One thing wrong with a value: where (`customRules[0].pattern`) and what. */
export interface SchemaProblem {
  path: string;
  message: string;
}

type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** `/customRules/0/pattern` → `customRules[0].pattern` (under `prefix`, e.g. `["ms-leakscan"]` of package.json). */
function fieldPath(pointer: string, prefix: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out = childPath(out, /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key);
  }
  return out;
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** One ajv error in our words. */
function describe(error: AjvError, prefix: string): SchemaProblem {
  const at = fieldPath(error.instancePath, prefix);
  const p = error.params;
  switch (error.keyword) {
    case 'type':
      return { path: at, message: `must be ${article(String(p.type))}, not ${article(typeOf(error.data))}` };
    case 'enum':
      return { path: at, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(error.data)}` };
    case 'additionalProperties': {
      const names = Object.keys((error.parentSchema?.properties as object | undefined) ?? {}).filter((k) => k !== '$schema');
      return { path: childPath(at, String(p.additionalProperty)), message: `is not a known option — check the spelling; known: ${names.join(', ')}` };
    }
    case 'required':
      return { path: childPath(at, String(p.missingProperty)), message: 'is missing' };
    case 'minItems':
      return { path: at, message: `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` };
    case 'minLength':
      return { path: at, message: p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long` };
    case 'pattern':
      return { path: at, message: `must match ${String(p.pattern)}, not ${JSON.stringify(error.data)}` };
    case 'minimum':
    case 'maximum':
      return { path: at, message: `must be at ${error.keyword === 'minimum' ? 'least' : 'most'} ${String(p.limit)}, not ${String(error.data)}` };
    default:
      return { path: at, message: `does not fit the schema (${error.keyword}) — see schema/ms-leakscan.schema.json` };
  }
}

/**
 * Every problem of `data` as a configuration; an empty list means valid. Where a value may take one of several
 * shapes (`anyOf`: an example is a string or an object), the branch meant for the value's kind speaks; when no
 * branch takes that kind, one line lists the kinds allowed.
 */
export function validateConfigData(data: unknown, prefix = ''): SchemaProblem[] {
  if (validateGenerated(data)) return [];
  // ajv lists problems in the schema's order; the reader goes through the file: the first problem in it comes first.
  const order = documentOrder(data);
  const rank = (e: AjvError): number => {
    const child = e.keyword === 'additionalProperties' ? order.get(`${e.instancePath}/${String(e.params.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`) : undefined;
    return child ?? order.get(e.instancePath) ?? 0;
  };
  const errors = [...(validateGenerated.errors ?? [])].sort((a, b) => rank(a) - rank(b));
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const problems: SchemaProblem[] = [];
  for (const at of anyOfAt) {
    const branchTypes = errors.filter((e) => e.instancePath === at && e.keyword === 'type').map((e) => String(e.params.type));
    const value = errors.find((e) => e.instancePath === at && e.keyword === 'anyOf')?.data;
    const fitting = errors.some((e) => e.keyword !== 'anyOf' && e.keyword !== 'type' && (e.instancePath === at || e.instancePath.startsWith(`${at}/`)));
    if (!fitting) problems.push({ path: fieldPath(at, prefix), message: `must be ${branchTypes.map(article).join(' or ')}, not ${article(typeOf(value))}` });
  }
  for (const error of errors) {
    if (error.keyword === 'anyOf' || (error.keyword === 'type' && anyOfAt.has(error.instancePath))) continue;
    problems.push(describe(error, prefix));
  }
  return problems;
}

/** Every JSON pointer of `data`, numbered depth first in the order the text has them. */
function documentOrder(data: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (value: unknown, pointer: string): void => {
    order.set(pointer, order.size);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(data, '');
  return order;
}
