import fc from 'fast-check';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { SCHEMA_KEYWORDS, SCHEMA_LIMITS, TopicSchemaChecker, topicSchemaProblems } from './topic-schema.js';
import { validateTopology } from './validate.js';

const problems = (schema: unknown) => topicSchemaProblems(schema, 'nodes.1.schema');

/** Patterns that backtrack catastrophically on a backtracking engine, and ones RE2 cannot run at all. */
const HOSTILE_PATTERNS = ['^(a+)+$', '^(a|aa)+$', '^(a|a?)+$', '(.*a){25}', '^(\\w+\\s?)*$', '^([a-z]+)*[0-9]$'];
const UNSUPPORTED_PATTERNS = ['(a)\\1', '(?=a)b', '(?!a)b', '(?<=a)b', '(?<!a)b', '\\k<x>'];

/** A schema of random depth and width from the allowed keywords, with hostile patterns and local refs. */
const schemaArb = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom({ type: 'string' }, { type: 'number', minimum: 0 }, { type: 'integer' }, { type: 'boolean' }),
    fc.record({ type: fc.constant('string'), pattern: fc.constantFrom(...HOSTILE_PATTERNS, '^[A-Z]{3}$') }),
    fc.record({ enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 5 }) }),
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('schema'), { maxKeys: 4 }),
        required: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 3 }),
        additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('array'), items: tie('schema'), maxItems: fc.nat(20) }, { requiredKeys: ['type'] }),
    fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('schema') }),
  ),
})).schema;

/** Anything a user could type: allowed and refused keywords, remote refs, ids, deep nesting. */
const anySchemaArb = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'medium', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.dictionary(
      fc.constantFrom(...SCHEMA_KEYWORDS, '$id', 'id', 'format', 'if', 'then', 'patternProperties', 'x'),
      fc.oneof(
        tie('node'),
        fc.constantFrom(
          ...HOSTILE_PATTERNS,
          ...UNSUPPORTED_PATTERNS,
          '#',
          '#/$defs/a',
          'http://evil.example/s.json',
          'other.json#/x',
        ),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 3 }),
      ),
      { maxKeys: 5 },
    ),
  ),
})).node;

/** A value nested `depth` levels, built without recursion. */
function nested(depth: number, wrap: (inner: unknown) => unknown, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

describe('topic schema limits, checked when the document is saved', () => {
  it('any input: named problems or none, never a throw; accepted schemas check any payload to a boolean', () => {
    fc.assert(
      fc.property(anySchemaArb, fc.jsonValue({ maxDepth: 4 }), (schema, payload) => {
        const found = problems(schema);
        for (const p of found) {
          expect(p.path.startsWith('nodes.1.schema')).toBe(true);
          expect(p.error.startsWith(p.path)).toBe(true);
        }
        if (found.length === 0) expect(typeof new TopicSchemaChecker(schema as object).check(payload)).toBe('boolean');
      }),
      { numRuns: 1500 },
    );
  });

  it('generated schemas of random depth and patterns: accepted within the limits, and agree with JSON Schema', () => {
    fc.assert(
      fc.property(schemaArb, fc.jsonValue({ maxDepth: 3 }), (schema, payload) => {
        const found = problems(schema);
        const size = JSON.stringify(schema).length;
        if (size <= SCHEMA_LIMITS.bytes && depthOf(schema) <= SCHEMA_LIMITS.depth) expect(found).toEqual([]);
        if (found.length) return;
        // Differential: the lab's checker says what a standard JSON Schema validator says (TypeBox's).
        expect(new TopicSchemaChecker(schema).check(payload)).toBe(Value.Check(schema as never, payload));
      }),
      { numRuns: 1000 },
    );
  });

  it('patterns run on RE2: catastrophic backtracking cases finish, backreferences and lookaround are refused', () => {
    for (const pattern of HOSTILE_PATTERNS) {
      const checker = new TopicSchemaChecker({ type: 'string', pattern });
      // On a backtracking engine each of these takes longer than the universe on this input; RE2 is linear.
      expect(checker.check(`${'a'.repeat(50_000)}!`)).toBe(pattern === '(.*a){25}');
    }
    for (const pattern of UNSUPPORTED_PATTERNS) {
      expect(problems({ type: 'string', pattern })[0]).toMatchObject({
        path: 'nodes.1.schema.pattern',
        error: expect.stringContaining("cannot run on the lab's linear-time regex engine"),
      });
    }
    expect(problems({ pattern: 'a{1000}{1000}' })[0]?.error).toMatch(/pattern/);
    expect(problems({ pattern: 'x'.repeat(300) })[0]?.error).toContain('longer than 256 characters');
  });

  it('names size and depth: a half-megabyte schema and one nested 200 000 levels deep', () => {
    const huge = { type: 'object', description: 'x'.repeat(500_000) };
    expect(problems(huge)).toEqual([
      {
        path: 'nodes.1.schema',
        error: 'nodes.1.schema is more than 16 KB of JSON; a topic schema may be at most 16 KB',
      },
    ]);
    const deep = nested(200_000, (inner) => ({ type: 'array', items: inner }), {});
    expect(problems(deep)[0]?.error).toBe(
      "nodes.1.schema is nested deeper than 10 levels (the lab's limit for a topic schema)",
    );
    const deepArrays = nested(200_000, (inner) => [inner]);
    expect(problems({ enum: deepArrays })[0]?.error).toContain('nested deeper');
    const wide = { anyOf: Array.from({ length: 400 }, () => ({ type: 'string' })) };
    expect(problems(wide)[0]?.error).toContain('more than 300 sub-schemas');
  });

  it('refs stay local and never loop without reading deeper; ids are refused', () => {
    expect(problems({ $id: 'http://evil.example/s' })[0]?.path).toBe('nodes.1.schema.$id');
    expect(problems({ $ref: 'http://evil.example/s.json' })[0]?.error).toContain('must be a local reference');
    expect(problems({ $ref: '#/$defs/missing' })[0]?.error).toContain('does not define');
    expect(problems({ $ref: '#' })[0]?.error).toContain('$ref loop');
    expect(
      problems({ $defs: { a: { $ref: '#/$defs/b' }, b: { anyOf: [{ $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' }),
    ).toMatchObject([{ error: expect.stringContaining('#/$defs/a → #/$defs/b → #/$defs/a') }]);
    // Recursion through properties reads one level deeper each time: allowed, and bounded by the event.
    const tree = { type: 'object', properties: { child: { $ref: '#' } } };
    expect(problems(tree)).toEqual([]);
    const checker = new TopicSchemaChecker(tree);
    expect(checker.check({ child: { child: {} } })).toBe(true);
    // An event nested far deeper than the step budget is refused, not checked forever or overflowing the stack.
    expect(checker.check(nested(100_000, (inner) => ({ child: inner }), {}))).toBe(false);
  });

  it('an unsupported keyword is named with the list of supported ones', () => {
    expect(problems({ type: 'object', patternProperties: { '^a': {} } })).toEqual([
      {
        path: 'nodes.1.schema.patternProperties',
        error: expect.stringMatching(/^nodes\.1\.schema\.patternProperties is not a supported keyword; .*type, enum/),
      },
    ]);
  });

  it('validateTopology reports schema problems at the topic, with nothing else wrong', () => {
    const result = validateTopology({
      version: 1,
      name: 'x',
      nodes: [{ id: 'orders', kind: 'topic', schema: { type: 'string', pattern: '(a)\\1' } }],
      links: [],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe('nodes.0.schema.pattern');
  });
});

function depthOf(schema: unknown): number {
  if (typeof schema !== 'object' || schema === null) return 0;
  const s = schema as Record<string, unknown>;
  const children: unknown[] = [
    ...Object.values((s.properties as object) ?? {}),
    s.items,
    s.not,
    typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined,
    ...((s.anyOf as unknown[]) ?? []),
  ].filter((c) => c !== undefined);
  return 1 + Math.max(0, ...children.map(depthOf));
}
