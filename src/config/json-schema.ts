/**
 * A small validator for the subset of JSON Schema (draft-07) that schema/ms-leakscan.schema.json uses, so the
 * schema editors complete from is the very one the loader enforces. Keywords outside the subset are refused
 * (see SUPPORTED_KEYWORDS), so the schema cannot silently grow a rule the loader does not check.
 */
export interface JsonSchema {
  $schema?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'anyOf',
  '$ref', 'definitions', 'minLength', 'minItems', 'minimum', 'maximum', 'pattern',
]);

/** One thing wrong with a value: where (`customRules[0].pattern`) and what. */
export interface SchemaProblem {
  path: string;
  message: string;
}

export function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function hasType(value: unknown, type: JsonType): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const match = /^#\/definitions\/(.+)$/.exec(ref);
  const target = match ? root.definitions?.[match[1]] : undefined;
  if (!target) throw new Error(`schema: unresolvable $ref ${ref}`);
  return target;
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** Every problem of `value` against `schema`, depth first; an empty list means valid. */
export function validateJson(value: unknown, schema: JsonSchema, path = '', root: JsonSchema = schema): SchemaProblem[] {
  if (schema.$ref) return validateJson(value, resolveRef(schema.$ref, root), path, root);
  const problem = (message: string, at = path): SchemaProblem[] => [{ path: at, message }];

  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) {
      return problem(`must be ${types.map(article).join(' or ')}, not ${article(typeOf(value))}`);
    }
  }
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    return problem(`must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value)}`);
  }
  if (schema.anyOf) {
    const attempts = schema.anyOf.map((branch) => validateJson(value, branch, path, root));
    if (attempts.some((p) => p.length === 0)) return [];
    // Report against the branch meant for this kind of value, when there is one.
    const fitting = schema.anyOf.findIndex((branch) => {
      const b = branch.$ref ? resolveRef(branch.$ref, root) : branch;
      return b.type !== undefined && (Array.isArray(b.type) ? b.type : [b.type]).some((t) => hasType(value, t));
    });
    if (fitting >= 0) return attempts[fitting];
    const kinds = schema.anyOf.map((b) => (b.$ref ? resolveRef(b.$ref, root) : b).type).flat().filter(Boolean) as string[];
    return problem(`must be ${kinds.map(article).join(' or ')}, not ${article(typeOf(value))}`);
  }

  const problems: SchemaProblem[] = [];
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(...problem('must not be empty'));
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      problems.push(...problem(`must match ${schema.pattern}, not ${JSON.stringify(value)}`));
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(...problem(`must be at least ${schema.minimum}, not ${value}`));
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(...problem(`must be at most ${schema.maximum}, not ${value}`));
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      problems.push(...problem(`must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`));
    }
    if (schema.items) value.forEach((item, i) => problems.push(...validateJson(item, schema.items as JsonSchema, childPath(path, i), root)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) problems.push(...problem('is missing', childPath(path, key)));
    }
    for (const [key, item] of Object.entries(object)) {
      const known = schema.properties?.[key];
      if (known) {
        problems.push(...validateJson(item, known, childPath(path, key), root));
      } else if (schema.additionalProperties === false) {
        const names = Object.keys(schema.properties ?? {}).filter((k) => k !== '$schema');
        problems.push(...problem(`is not a known option — check the spelling; known: ${names.join(', ')}`, childPath(path, key)));
      } else if (typeof schema.additionalProperties === 'object') {
        problems.push(...validateJson(item, schema.additionalProperties, childPath(path, key), root));
      }
    }
  }
  return problems;
}

/** Keywords of a schema (recursively) that `validateJson` does not implement. */
export function unsupportedKeywords(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, isMap: boolean): void => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (isMap) {
        walk(child, false);
        continue;
      }
      if (!SUPPORTED_KEYWORDS.has(key)) found.add(key);
      if (key === 'properties' || key === 'definitions') walk(child, true);
      else if (key === 'anyOf' && Array.isArray(child)) child.forEach((c) => walk(c, false));
      else if (key === 'items' || key === 'additionalProperties') walk(child, false);
    }
  };
  walk(schema, false);
  return [...found].sort();
}
