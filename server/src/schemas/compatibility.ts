import { DEFAULT_COMPATIBILITY, type Problem, type Topology } from '@lab/model';
import avro from 'avsc';

export type Compatibility = 'backward' | 'forward' | 'full' | 'none';

/** What each mode promises, in the words of the schema registries Kafka users know. */
const RULES = {
  backward: 'consumers using the new version can read events written with the previous one',
  forward: 'consumers still on the previous version can read events written with the new one',
} as const;

/**
 * Whether `next` may follow `previous` under `mode`, by Avro's own schema resolution (avsc's resolver, the
 * rules a registry applies), not hand-written rules. Returns the broken rule and Avro's reason, or undefined.
 */
export function compatibilityProblem(previous: avro.Type, next: avro.Type, mode: Compatibility): string | undefined {
  const checks: (keyof typeof RULES)[] = mode === 'full' ? ['backward', 'forward'] : mode === 'none' ? [] : [mode];
  for (const rule of checks) {
    const [reader, writer] = rule === 'backward' ? [next, previous] : [previous, next];
    try {
      reader.createResolver(writer);
    } catch (err) {
      return `breaks ${rule.toUpperCase()} compatibility (${RULES[rule]}): ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return undefined;
}

/** Parses an Avro schema; undefined with the reason when it is not one. */
export function parseAvro(schema: unknown): { type?: avro.Type; error?: string } {
  try {
    const type = avro.Type.forSchema(schema as avro.Schema);
    if (type.typeName !== 'record') return { error: 'must be an Avro record schema ({ "type": "record", … })' };
    return { type };
  } catch (err) {
    return { error: `is not a valid Avro schema: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The contract rules a JSON Schema cannot say: every version a valid Avro record, versions increasing, and
 * each keeping the topic's compatibility mode with the one before.
 */
export function contractProblems(topology: Topology): Problem[] {
  const problems: Problem[] = [];
  topology.nodes.forEach((node, i) => {
    if (node.kind !== 'topic' || !node.contract) return;
    const mode = node.contract.compatibility ?? DEFAULT_COMPATIBILITY;
    let previous: { version: number; type: avro.Type } | undefined;
    node.contract.versions.forEach(({ version, schema }, v) => {
      const at = `nodes.${i}.contract.versions.${v}`;
      const parsed = parseAvro(schema);
      if (!parsed.type) {
        problems.push({ path: `${at}.schema`, error: `${at}.schema ${parsed.error}` });
        return;
      }
      if (previous && version <= previous.version) {
        problems.push({ path: `${at}.version`, error: `${at}.version must be greater than ${previous.version}` });
        return;
      }
      const broken = previous && compatibilityProblem(previous.type, parsed.type, mode);
      if (broken)
        problems.push({
          path: at,
          error: `${at}: version ${version} of "${node.id}" is refused: it ${broken} (version ${previous!.version})`,
        });
      previous = { version, type: parsed.type };
    });
  });
  return problems;
}
