import { RE2JS } from 're2js';
import { findCycle } from './graph.js';
import { own } from './records.js';

/**
 * A topic's schema: a bounded subset of JSON Schema, checked when the document is saved and run by the
 * producers on every event.
 *
 * Bounded because it is user input that every producer runs: a schema is at most `SCHEMA_LIMITS.bytes` of
 * JSON, `depth` levels deep, `nodes` sub-schemas in all; `$ref` points only inside the schema itself (no `$id`,
 * nothing fetched) and never loops without reading deeper into the event; `pattern` runs on RE2 (re2js),
 * whose time is linear in the input, so no pattern can backtrack forever; a pattern RE2 cannot run (a
 * backreference, a lookaround) is refused with its reason. The checker also counts its steps, so even an
 * allowed schema cannot make one check cost more than `steps`.
 */
export const SCHEMA_LIMITS = {
  bytes: 16 * 1024,
  depth: 10,
  nodes: 300,
  patternLength: 256,
  /** RE2 program size: how big a compiled pattern may be (`a{1000}{1000}` is refused). */
  patternProgram: 5_000,
  steps: 20_000,
} as const;

const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;
/** Keywords whose value is one sub-schema / a list of them / a record of them. */
const ONE_SCHEMA = ['items', 'additionalProperties', 'not'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const SCHEMA_RECORDS = ['properties', '$defs', 'definitions'] as const;
const NUMBERS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const;
const COUNTS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const;
/** Annotations: allowed, never read by the checker. */
const ANNOTATIONS = ['title', 'description', '$comment', 'default', 'examples', '$schema', 'format'] as const;
export const SCHEMA_KEYWORDS: readonly string[] = [
  'type',
  'enum',
  'const',
  'required',
  'pattern',
  'uniqueItems',
  '$ref',
  ...ONE_SCHEMA,
  ...SCHEMA_LISTS,
  ...SCHEMA_RECORDS,
  ...NUMBERS,
  ...COUNTS,
  ...ANNOTATIONS,
];

export interface SchemaProblem {
  path: string;
  error: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Json, key: string) => Object.hasOwn(o, key);

/**
 * Everything wrong with a topic schema, each problem at its path (`base` is where the schema sits, e.g.
 * `nodes.3.schema`). Stops at the first problem of a kind that makes walking further pointless (size, depth).
 */
export function topicSchemaProblems(schema: unknown, base: string): SchemaProblem[] {
  const extent = jsonExtent(schema);
  if (extent) return [{ path: base, error: `${base} ${extent}` }];
  const problems: SchemaProblem[] = [];
  const refs: { path: string; ref: string }[] = [];
  let nodes = 0;
  const fail = (path: string, message: string) => problems.push({ path, error: `${path} ${message}` });

  // Iterative walk (an explicit stack): a hostile schema can be nested far deeper than the call stack.
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: schema, path: base, depth: 1 }];
  while (stack.length && problems.length < 20) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'boolean') continue;
    if (!isObject(value)) {
      fail(path, 'must be a schema (an object, or true/false)');
      continue;
    }
    if (depth > SCHEMA_LIMITS.depth) {
      fail(path, `is nested deeper than ${SCHEMA_LIMITS.depth} levels (the lab's limit for a topic schema)`);
      break;
    }
    if (++nodes > SCHEMA_LIMITS.nodes) {
      fail(base, `has more than ${SCHEMA_LIMITS.nodes} sub-schemas (the lab's limit for a topic schema)`);
      break;
    }
    const push = (child: unknown, at: string) => stack.push({ value: child, path: at, depth: depth + 1 });
    for (const [key, v] of Object.entries(value)) {
      const at = `${path}.${key}`;
      if (key === '$id' || key === 'id') {
        fail(at, 'is not allowed: a topic schema is checked on its own and never fetched, so it has no id');
      } else if (!SCHEMA_KEYWORDS.includes(key)) {
        fail(at, `is not a supported keyword; a topic schema may use ${SCHEMA_KEYWORDS.join(', ')}`);
      } else if (key === 'type') {
        const types = Array.isArray(v) ? v : [v];
        if (!types.length || !types.every((t) => (TYPES as readonly unknown[]).includes(t)))
          fail(at, `must be one of ${TYPES.join(', ')} (or a list of them)`);
      } else if (key === 'enum') {
        if (!Array.isArray(v) || v.length === 0 || v.length > 100) fail(at, 'must be a list of 1 to 100 values');
      } else if (key === 'required') {
        if (!Array.isArray(v) || !v.every((r) => typeof r === 'string')) fail(at, 'must be a list of field names');
      } else if (key === 'pattern') {
        const problem = patternProblem(v);
        if (problem) fail(at, problem);
      } else if (key === 'uniqueItems') {
        if (typeof v !== 'boolean') fail(at, 'must be true or false');
      } else if (key === '$ref') {
        if (typeof v !== 'string' || !/^#(\/(\$defs|definitions)\/[^/]+)?$/.test(v))
          fail(at, 'must be a local reference: "#", "#/$defs/<name>" or "#/definitions/<name>" (nothing is fetched)');
        else refs.push({ path: at, ref: v });
      } else if ((NUMBERS as readonly string[]).includes(key)) {
        if (typeof v !== 'number' || !Number.isFinite(v) || (key === 'multipleOf' && v <= 0))
          fail(at, key === 'multipleOf' ? 'must be a number above 0' : 'must be a number');
      } else if ((COUNTS as readonly string[]).includes(key)) {
        if (!Number.isInteger(v) || (v as number) < 0) fail(at, 'must be a whole number, 0 or more');
      } else if ((ONE_SCHEMA as readonly string[]).includes(key)) {
        push(v, at);
      } else if ((SCHEMA_LISTS as readonly string[]).includes(key)) {
        if (!Array.isArray(v) || v.length === 0) fail(at, 'must be a list of schemas');
        else for (const [i, child] of v.entries()) push(child, `${at}.${i}`);
      } else if ((SCHEMA_RECORDS as readonly string[]).includes(key)) {
        if (!isObject(v)) fail(at, 'must be an object of schemas');
        else for (const [name, child] of Object.entries(v)) push(child, `${at}.${name}`);
      }
    }
  }
  if (problems.length) return problems;
  for (const { path, ref } of refs) {
    if (resolve(schema, ref) === undefined) fail(path, `points to ${ref}, which the schema does not define`);
  }
  if (problems.length) return problems;
  const loop = refLoop(schema);
  if (loop) fail(base, `has a $ref loop that never reads deeper into the event (${loop.join(' → ')})`);
  return problems;
}

/**
 * Whether a JSON value is too big or too deep to be a topic schema, found without recursion (a value nested
 * a million levels deep would overflow the stack of JSON.stringify itself) and stopping as soon as it is.
 */
function jsonExtent(value: unknown): string | undefined {
  const tooBig = `is more than ${SCHEMA_LIMITS.bytes / 1024} KB of JSON; a topic schema may be at most ${SCHEMA_LIMITS.bytes / 1024} KB`;
  // Each schema level is two JSON levels (properties, then the field's name).
  const maxDepth = 2 * SCHEMA_LIMITS.depth + 2;
  let bytes = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > maxDepth)
      return `is nested deeper than ${SCHEMA_LIMITS.depth} levels (the lab's limit for a topic schema)`;
    if (typeof v === 'string') bytes += v.length + 2;
    else if (Array.isArray(v)) {
      bytes += 2 + v.length;
      for (const item of v) stack.push([item, depth + 1]);
    } else if (isObject(v)) {
      bytes += 2;
      for (const [key, item] of Object.entries(v)) {
        bytes += key.length + 4;
        stack.push([item, depth + 1]);
      }
    } else bytes += String(v).length;
    if (bytes > SCHEMA_LIMITS.bytes) return tooBig;
  }
  return undefined;
}

function patternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'must be a string';
  if (pattern.length > SCHEMA_LIMITS.patternLength)
    return `is longer than ${SCHEMA_LIMITS.patternLength} characters (the lab's limit for a pattern)`;
  try {
    const compiled = RE2JS.compile(pattern);
    if (compiled.programSize() > SCHEMA_LIMITS.patternProgram) return 'is too large a pattern once compiled';
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    return `cannot run on the lab's linear-time regex engine (RE2: no backreferences, no lookaround): ${why}`;
  }
  return undefined;
}

function resolve(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  const [, group, name] = ref.split('/');
  return isObject(root) ? own(own(root, group!) as Json | undefined, name!) : undefined;
}

/**
 * A chain of $refs that comes back to where it started without passing through properties, items or
 * additionalProperties (which read one level deeper into the event each time, so they end with the event).
 */
function refLoop(root: unknown): string[] | undefined {
  const targets = [
    '#',
    ...['$defs', 'definitions'].flatMap((g) => Object.keys(own(root as Json, g) ?? {}).map((n) => `#/${g}/${n}`)),
  ];
  // For each target, the refs reachable from it without descending into the event.
  const edges = new Map(targets.map((t) => [t, sameLevelRefs(resolve(root, t))]));
  return findCycle(edges);
}

function sameLevelRefs(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const refs: string[] = typeof schema.$ref === 'string' ? [schema.$ref] : [];
  for (const key of SCHEMA_LISTS) {
    const list = own(schema, key);
    if (Array.isArray(list)) for (const child of list) refs.push(...sameLevelRefs(child));
  }
  if (has(schema, 'not')) refs.push(...sameLevelRefs(schema.not));
  return refs;
}

/** Too many steps: the event is refused rather than checked for longer. */
class OverBudget extends Error {}

/**
 * A checker for one topic schema (already passed `topicSchemaProblems`): patterns compiled once, on RE2.
 * `check` says whether a payload matches; it never runs longer than SCHEMA_LIMITS.steps steps (an event that
 * would need more is refused).
 */
export class TopicSchemaChecker {
  private readonly patterns = new Map<string, RE2JS>();
  private steps = 0;

  constructor(private readonly schema: Json) {}

  check(value: unknown): boolean {
    this.steps = 0;
    try {
      return this.matches(this.schema, value);
    } catch (err) {
      if (err instanceof OverBudget || err instanceof RangeError) return false;
      throw err;
    }
  }

  private matches(schema: unknown, value: unknown): boolean {
    if (++this.steps > SCHEMA_LIMITS.steps) throw new OverBudget();
    if (schema === true) return true;
    if (schema === false || !isObject(schema)) return false;
    const s = schema;
    if (typeof s.$ref === 'string' && !this.matches(resolve(this.schema, s.$ref), value)) return false;
    if (has(s, 'type') && !typeMatches(s.type, value)) return false;
    if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) return false;
    if (has(s, 'const') && !equal(s.const, value)) return false;
    if (Array.isArray(s.allOf) && !s.allOf.every((sub) => this.matches(sub, value))) return false;
    if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => this.matches(sub, value))) return false;
    if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => this.matches(sub, value)).length !== 1) return false;
    if (has(s, 'not') && this.matches(s.not, value)) return false;
    if (typeof value === 'number') return numberMatches(s, value);
    if (typeof value === 'string') return this.stringMatches(s, value);
    if (Array.isArray(value)) return this.arrayMatches(s, value);
    if (isObject(value)) return this.objectMatches(s, value);
    return true;
  }

  private stringMatches(s: Json, value: string): boolean {
    const length = typeof s.minLength === 'number' || typeof s.maxLength === 'number' ? [...value].length : 0;
    if (typeof s.minLength === 'number' && length < s.minLength) return false;
    if (typeof s.maxLength === 'number' && length > s.maxLength) return false;
    if (typeof s.pattern === 'string') {
      let compiled = this.patterns.get(s.pattern);
      if (!compiled) {
        compiled = RE2JS.compile(s.pattern);
        this.patterns.set(s.pattern, compiled);
      }
      if (!compiled.test(value)) return false;
    }
    return true;
  }

  private arrayMatches(s: Json, value: unknown[]): boolean {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return false;
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return false;
    if (has(s, 'items') && !value.every((item) => this.matches(s.items, item))) return false;
    if (s.uniqueItems === true) {
      const seen = new Set(value.map((v) => JSON.stringify(v)));
      if (seen.size !== value.length) return false;
    }
    return true;
  }

  private objectMatches(s: Json, value: Json): boolean {
    const keys = Object.keys(value);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) return false;
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) return false;
    if (Array.isArray(s.required) && !s.required.every((k) => typeof k === 'string' && has(value, k))) return false;
    const properties = isObject(s.properties) ? s.properties : undefined;
    for (const key of keys) {
      const declared = own(properties, key);
      if (declared !== undefined) {
        if (!this.matches(declared, value[key])) return false;
      } else if (has(s, 'additionalProperties') && !this.matches(s.additionalProperties, value[key])) return false;
    }
    return true;
  }
}

function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'null':
        return value === null;
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isObject(value);
      default:
        return typeof value === t;
    }
  });
}

function numberMatches(s: Json, value: number): boolean {
  if (typeof s.minimum === 'number' && value < s.minimum) return false;
  if (typeof s.maximum === 'number' && value > s.maximum) return false;
  if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) return false;
  if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) return false;
  if (typeof s.multipleOf === 'number') {
    const quotient = value / s.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) return false;
  }
  return true;
}

/** JSON equality (enum, const): same type, same value, objects key by key whatever the order. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => has(b, k) && equal(a[k], b[k]));
  }
  return false;
}
