import { own, type Problem, type Topology } from '@lab/model';
import avro from 'avsc';
import { parseAvro } from './compatibility.js';

/**
 * The REST twin of a topic contract (docs/design/rest-contracts.md). A service's API versions describe its
 * answer as Avro records; the callee answers with its latest version and each caller checks the answer against
 * the version it was built against, as a JSON client deserializing into its own types would: fields it does
 * not know are ignored (a tolerant reader), a field it needs that is missing or of another type fails the call.
 * No registry stands between them: a breaking version ships, and the callers find out at runtime.
 */

/** Avro types with no JSON form: a REST answer is JSON. */
const NOT_JSON = new Set(['bytes', 'fixed']);

/** Why an Avro type cannot be a JSON answer (the first field that cannot), or undefined. */
export function jsonProblem(type: avro.Type, path: string[] = [], seen = new Set<avro.Type>()): string | undefined {
  if (seen.has(type)) return undefined; // a recursive record: already looked at
  seen.add(type);
  if (NOT_JSON.has(type.typeName))
    return `field "${path.join('.')}" is ${type.typeName}, which JSON cannot carry (use "string")`;
  const inner: [avro.Type, string[]][] =
    type instanceof avro.types.RecordType
      ? type.fields.map((f) => [f.type, [...path, f.name]])
      : type instanceof avro.types.ArrayType
        ? [[type.itemsType, path]]
        : type instanceof avro.types.MapType
          ? [[type.valuesType, path]]
          : type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType
            ? type.types.map((t): [avro.Type, string[]] => [t, path])
            : [];
  for (const [t, at] of inner) {
    const problem = jsonProblem(t, at, seen);
    if (problem) return problem;
  }
  return undefined;
}

/** What the server adds to the model's checks of `api`: every response an Avro record of JSON types. */
export function apiProblems(topology: Topology): Problem[] {
  const problems: Problem[] = [];
  topology.nodes.forEach((node, i) => {
    if (node.kind !== 'service' || !node.api) return;
    node.api.versions.forEach(({ response }, v) => {
      const at = `nodes.${i}.api.versions.${v}.response`;
      const parsed = parseAvro(response);
      const problem = parsed.type ? jsonProblem(parsed.type) : parsed.error;
      if (problem) problems.push({ path: at, error: `${at}${parsed.type ? ':' : ''} ${problem}` });
    });
  });
  return problems;
}

const parsed = new Map<string, avro.Type>();
const MAX_PARSED = 64;

/** The parsed type of a validated response schema (parsing one per call would be wasteful). */
export function responseType(schema: Record<string, unknown>): avro.Type {
  const key = JSON.stringify(schema);
  let type = parsed.get(key);
  if (!type) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    type = avro.Type.forSchema(schema as avro.Schema);
    parsed.set(key, type);
  }
  return type;
}

/**
 * The callee's answer to a request, in the shape of its API version: each field takes the request's value of
 * the same name when it fits (a number becomes text for a string field), else the field's default, else a
 * made-up value of its type.
 */
export function answerFor(type: avro.Type, request: Record<string, unknown>): Record<string, unknown> {
  const answer: Record<string, unknown> = { ...(type.random() as object) };
  if (!(type instanceof avro.types.RecordType)) return answer;
  for (const field of type.fields) {
    const given = own(request, field.name);
    const fallback = field.defaultValue();
    if (given !== undefined && field.type.isValid(given)) answer[field.name] = given;
    else if (field.type.typeName === 'string' && (typeof given === 'number' || typeof given === 'boolean'))
      answer[field.name] = String(given);
    else if (fallback !== undefined) answer[field.name] = fallback;
  }
  return answer;
}

/**
 * Why an answer does not fit the version a caller was built against: the first field missing or of another
 * type, named (`"address" is {"street":"…"}, not a string`). Undefined when it fits; unknown fields are ignored.
 */
export function answerProblem(type: avro.Type, answer: unknown): string | undefined {
  let first: string | undefined;
  type.isValid(answer, {
    errorHook: (path, value, at) => {
      first ??= describe(path, value, at);
    },
  });
  return first;
}

function describe(path: string[], value: unknown, type: avro.Type): string {
  const where = path.length ? `"${path.join('.')}"` : 'the answer';
  if (value === undefined) return `${where} is missing (expected ${typeWord(type)})`;
  return `${where} is ${shown(value)}, not ${typeWord(type)}`;
}

function typeWord(type: avro.Type): string {
  if (type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType)
    return type.types.map(typeWord).join(' or ');
  if (type instanceof avro.types.RecordType) return `a record ${type.name?.split('.').pop() ?? ''}`.trim();
  if (type instanceof avro.types.EnumType) return `one of ${type.symbols.join(', ')}`;
  if (type.typeName === 'null') return 'null';
  const name = type.typeName;
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
