import { type TopologyDocument, validateTopology } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { type Compatibility, compatibilityProblem, contractProblems, parseAvro } from './compatibility.js';
import { validateDocument } from './validate.js';

const record = (fields: unknown[]) => ({ type: 'record', name: 'Order', fields });
const V1 = record([
  { name: 'id', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'note', type: ['null', 'string'], default: null },
]);

/** The usual evolutions of version 1, and what a registry (Confluent's rules, Avro resolution) says of each. */
const EVOLUTIONS: [string, unknown, Record<Compatibility, boolean>][] = [
  [
    'add an optional field (with a default)',
    record([...V1.fields, { name: 'email', type: ['null', 'string'], default: null }]),
    { backward: true, forward: true, full: true, none: true },
  ],
  [
    'add a required field (no default)',
    record([...V1.fields, { name: 'email', type: 'string' }]),
    { backward: false, forward: true, full: false, none: true },
  ],
  [
    'remove an optional field',
    record(V1.fields.slice(0, 2)),
    { backward: true, forward: true, full: true, none: true },
  ],
  [
    'remove a required field',
    record([V1.fields[0], V1.fields[2]]),
    { backward: true, forward: false, full: false, none: true },
  ],
  [
    'change a type (double → string)',
    record([V1.fields[0], { name: 'amount', type: 'string' }, V1.fields[2]]),
    { backward: false, forward: false, full: false, none: true },
  ],
  [
    'change string to bytes (Avro promotes either way)',
    record([{ name: 'id', type: 'bytes' }, V1.fields[1], V1.fields[2]]),
    { backward: true, forward: true, full: true, none: true },
  ],
  [
    'rename a field (amount → total)',
    record([V1.fields[0], { name: 'total', type: 'double' }, V1.fields[2]]),
    { backward: false, forward: false, full: false, none: true },
  ],
  [
    'rename a field with an alias',
    record([V1.fields[0], { name: 'total', type: 'double', aliases: ['amount'] }, V1.fields[2]]),
    { backward: true, forward: false, full: false, none: true },
  ],
];
const MODES: Compatibility[] = ['backward', 'forward', 'full', 'none'];

describe('topic contract compatibility (Avro resolution via avsc)', () => {
  const v1 = parseAvro(V1).type!;
  describe.each(EVOLUTIONS)('%s', (_, next, expected) => {
    it.each(MODES)('%s', (mode) => {
      const problem = compatibilityProblem(v1, parseAvro(next).type!, mode);
      if (expected[mode]) expect(problem).toBeUndefined();
      else
        expect(problem).toMatch(
          mode === 'full' ? /^breaks (BACKWARD|FORWARD)/ : new RegExp(`^breaks ${mode.toUpperCase()}`),
        );
    });
  });

  const doc = (versions: unknown[], compatibility?: Compatibility): TopologyDocument => ({
    version: 1,
    name: 'contracts',
    nodes: [
      { id: 'orders', kind: 'topic', contract: { versions, ...(compatibility ? { compatibility } : {}) } } as never,
    ],
    links: [],
  });

  it('refuses a version that breaks the mode, naming the rule, the versions and Avro’s reason', () => {
    const result = validateDocument(
      doc([
        { version: 1, schema: V1 },
        { version: 2, schema: record([...V1.fields, { name: 'email', type: 'string' }]) },
      ]),
      'lab.',
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toEqual({
      path: 'nodes.0.contract.versions.1',
      error:
        'nodes.0.contract.versions.1: version 2 of "orders" is refused: it breaks BACKWARD compatibility (consumers using the new version can read events written with the previous one): no matching field for default-less Order.email (version 1)',
    });
  });

  it('defaults to BACKWARD, as registries do, and accepts what the mode allows', () => {
    const removeRequired = record([V1.fields[0], V1.fields[2]]);
    expect(
      validateDocument(
        doc([
          { version: 1, schema: V1 },
          { version: 2, schema: removeRequired },
        ]),
        'lab.',
      ).ok,
    ).toBe(true);
    const forward = validateDocument(
      doc(
        [
          { version: 1, schema: V1 },
          { version: 2, schema: removeRequired },
        ],
        'forward',
      ),
      'lab.',
    );
    expect(!forward.ok && forward.problems[0]?.error).toMatch(/breaks FORWARD compatibility/);
  });

  it('refuses a schema that is not an Avro record, and versions that do not increase', () => {
    const topology = validateTopology(
      doc([
        { version: 2, schema: V1 },
        { version: 1, schema: V1 },
        { version: 3, schema: { type: 'string' } },
        { version: 4, schema: { type: 'record', name: 'X' } },
      ]),
    );
    expect(topology.ok).toBe(true);
    const problems = contractProblems(topology.ok ? topology.topology : (undefined as never)).map((p) => p.error);
    expect(problems[0]).toBe('nodes.0.contract.versions.1.version must be greater than 2');
    expect(problems[1]).toBe(
      'nodes.0.contract.versions.2.schema must be an Avro record schema ({ "type": "record", … })',
    );
    expect(problems[2]).toMatch(/^nodes\.0\.contract\.versions\.3\.schema is not a valid Avro schema: /);
  });
});
