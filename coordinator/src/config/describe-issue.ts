import type { z } from 'zod';

/** `budgets.maxCostUsd`, `pricing["claude-x"].input`, `permissions.tools.allow[2]`. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(key in current)) return { found: false };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The keys a strict object at `path` accepts, found by walking the schema. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  for (const key of [...path, undefined]) {
    for (;;) {
      const def: { type: string; innerType?: z.core.$ZodType } = current?._zod.def as never;
      if (!def || !def.innerType) break;
      current = def.innerType;
    }
    const def = current?._zod.def as { type?: string; shape?: Record<string, z.core.$ZodType>; valueType?: z.core.$ZodType } | undefined;
    if (key === undefined) return def?.shape ? Object.keys(def.shape) : [];
    current = def?.type === 'record' ? def.valueType : def?.shape?.[String(key)];
  }
  return [];
}

/** One line per problem: the key, the value expected, and the value found. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): string {
  const where = issue.path.length > 0 ? `${keyPath(issue.path)}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schema, issue.path);
    const names = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${names}${known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`;
  }
  const found = valueAt(input, issue.path);
  return `${where}${issue.message}, got ${found.found ? shown(found.value) : 'nothing'}`;
}
