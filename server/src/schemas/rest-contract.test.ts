import { type TopologyDocument, validateTopology } from '@lab/model';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { answerFor, answerProblem, apiProblems, jsonProblem, responseType } from './rest-contract.js';
import { validateDocument } from './validate.js';

const record = (fields: unknown[]) => ({ type: 'record', name: 'Customer', fields });
const V1 = record([
  { name: 'orderId', type: 'string' },
  { name: 'address', type: 'string' },
  { name: 'note', type: ['null', 'string'], default: null },
]);
const REQUEST = { orderId: 'o-1', amount: 12.5 };

/** A caller built against `built` calls a callee that serves `served`: the first problem with the answer. */
const call = (built: object, served: object) =>
  answerProblem(
    responseType(built as Record<string, unknown>),
    answerFor(responseType(served as Record<string, unknown>), REQUEST),
  );

// The evolutions of the topic contract table (compatibility.test.ts), shipped as REST API versions: a caller
// still on version 1 reads the new answer as a tolerant JSON reader does. No registry refuses any of them.
const EVOLUTIONS: [string, object, string | undefined][] = [
  [
    'add an optional field',
    record([...V1.fields, { name: 'email', type: ['null', 'string'], default: null }]),
    undefined,
  ],
  ['add a required field', record([...V1.fields, { name: 'email', type: 'string' }]), undefined],
  ['remove an optional field', record(V1.fields.slice(0, 2)), undefined],
  ['remove a required field', record([V1.fields[0], V1.fields[2]]), '"address" is missing (expected a string)'],
  [
    'change a type (string → record)',
    record([
      V1.fields[0],
      {
        name: 'address',
        type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] },
      },
      V1.fields[2],
    ]),
    '"address" is {"city":',
  ],
  [
    'rename a field (even with an alias: JSON has none)',
    record([V1.fields[0], { name: 'street', type: 'string', aliases: ['address'] }, V1.fields[2]]),
    '"address" is missing (expected a string)',
  ],
];

describe('REST API versions: a caller built against version 1 reads the answer of each new version', () => {
  it.each(EVOLUTIONS)('%s', (_, next, problem) => {
    const found = call(V1, next);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('a caller updated before its callee breaks too: it expects a field version 1 does not send', () => {
    const v2 = record([...V1.fields, { name: 'email', type: 'string' }]);
    expect(call(v2, V1)).toBe('"email" is missing (expected a string)');
    expect(call(v2, v2)).toBeUndefined();
  });

  it('names a wrong type with the value and what was expected, and tolerates unknown fields', () => {
    const type = responseType(V1);
    expect(answerProblem(type, { orderId: 7, address: 'x' })).toBe('"orderId" is 7, not a string');
    expect(answerProblem(type, { orderId: 'o', address: 'x', extra: [1, 2] })).toBeUndefined();
    expect(answerProblem(type, { orderId: 'o', address: 'x', note: 3 })).toBe('"note" is 3, not null or a string');
    expect(answerProblem(type, 'OK')).toBe('the answer is "OK", not a record Customer');
    expect(answerProblem(type, { orderId: 'o', address: 'x'.repeat(100) })).toBeUndefined();
    expect(answerProblem(type, { orderId: 'o', address: { a: 'y'.repeat(80) } })).toMatch(
      /^"address" is \{"a":"y+…, not a string$/,
    );
  });
});

describe('the callee answers in the shape of its latest version', () => {
  it('takes request values that fit, turns numbers into text for string fields, and fills the rest', () => {
    const type = responseType(
      record([
        { name: 'orderId', type: 'string' },
        { name: 'amount', type: 'string' },
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['OK', 'HELD'] } },
        { name: 'country', type: 'string', default: 'NL' },
      ]),
    );
    const answer = answerFor(type, REQUEST);
    expect(answer).toMatchObject({ orderId: 'o-1', amount: '12.5', country: 'NL' });
    expect(['OK', 'HELD']).toContain(answer.status);
    expect(answerProblem(type, JSON.parse(JSON.stringify(answer)))).toBeUndefined();
  });

  it('never reads a prototype key of the request as a value', () => {
    const type = responseType(record([{ name: 'constructor', type: 'string', default: 'x' }]));
    expect(answerFor(type, {}).constructor).toBe('x');
  });
});

describe('API versions are checked on save (errors a user can cause)', () => {
  const doc = (response: unknown): TopologyDocument =>
    ({
      version: 1,
      name: 'api',
      nodes: [{ id: 'customers', kind: 'service', api: { versions: [{ version: 1, response }] } }],
      links: [],
    }) as TopologyDocument;
  const problems = (response: unknown) => {
    const result = validateDocument(doc(response), 'lab.');
    return result.ok ? [] : result.problems.map((p) => p.error);
  };

  it('accepts a record of JSON types', () => {
    expect(problems(V1)).toEqual([]);
  });

  it("refuses what is not an Avro record, with avsc's reason", () => {
    expect(problems({ type: 'string' })).toEqual([
      'nodes.0.api.versions.0.response must be an Avro record schema ({ "type": "record", … })',
    ]);
    expect(problems({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'decimalish' }] })[0]).toMatch(
      /^nodes\.0\.api\.versions\.0\.response is not a valid Avro schema: .*decimalish/,
    );
  });

  it('refuses bytes and fixed anywhere in the answer: JSON cannot carry them', () => {
    expect(problems(record([{ name: 'photo', type: 'bytes' }]))).toEqual([
      'nodes.0.api.versions.0.response: field "photo" is bytes, which JSON cannot carry (use "string")',
    ]);
    const nested = record([
      { name: 'items', type: { type: 'array', items: { type: 'map', values: { type: 'fixed', name: 'F', size: 2 } } } },
    ]);
    expect(jsonProblem(responseType(nested))).toBe('field "items" is fixed, which JSON cannot carry (use "string")');
  });

  it('refuses a field name that is code, as data: nothing in it runs', () => {
    const hostile = record([{ name: "a'); globalThis.__pwned = true; ('", type: 'string' }]);
    expect(problems(hostile)[0]).toMatch(/is not a valid Avro schema: invalid field name/);
    expect((globalThis as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it('the model accepts what only the server refuses, so the server check is the one that counts', () => {
    const bad = doc(record([{ name: 'photo', type: 'bytes' }]));
    expect(validateTopology(bad).ok).toBe(true);
    const result = validateTopology(bad);
    expect(result.ok && apiProblems(result.topology)).toHaveLength(1);
  });

  it('parses a recursive record once, without looping', () => {
    const tree = {
      type: 'record',
      name: 'Node',
      fields: [{ name: 'children', type: { type: 'array', items: 'Node' } }],
    };
    expect(jsonProblem(avro.Type.forSchema(tree as avro.Schema))).toBeUndefined();
  });
});
