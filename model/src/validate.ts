import Type from 'typebox';
import Compile from 'typebox/compile';
import { findCycle } from './graph.js';
import { quotaProblems } from './quotas.js';
import { topicSchemaProblems } from './topic-schema.js';
import {
  CallLink,
  ConsumeLink,
  deadLetterTopicId,
  LIMITS,
  normalizeTopology,
  PayloadField,
  ProduceLink,
  ServiceNode,
  SourceNode,
  TopicNode,
  type Topology,
  TopologyDocument,
  type TopologyLink,
} from './topology.js';

/** One problem with a document: `path` points at the field (`nodes.2.partitions`), `error` says what is wrong. */
export interface Problem {
  path: string;
  error: string;
}
export type Validation = { ok: true; topology: Topology } | { ok: false; problems: Problem[] };

const nodeSchemas = { source: Compile(SourceNode), service: Compile(ServiceNode), topic: Compile(TopicNode) };
const linkSchemas = { produce: Compile(ProduceLink), consume: Compile(ConsumeLink), call: Compile(CallLink) };
const documentShell = Compile(
  Type.Object({
    version: TopologyDocument.properties.version,
    name: TopologyDocument.properties.name,
    nodes: Type.Array(Type.Unknown(), { maxItems: LIMITS.nodes }),
    links: Type.Array(Type.Unknown(), { maxItems: LIMITS.links }),
  }),
);

const PAYLOAD_KINDS = PayloadField.anyOf.map((branch) => branch.properties.kind.const);

/** What each link kind may connect: the rules the canvas shows when it refuses a connection. */
export const LINK_RULES = {
  produce: { from: ['source', 'service'], to: ['topic'], reads: 'a source or service produces to a topic' },
  consume: { from: ['topic'], to: ['service'], reads: 'a service consumes from a topic' },
  call: { from: ['source', 'service'], to: ['service'], reads: 'a source or service calls a service over REST' },
} as const;

/** Kafka's own limit on topic names, which are the prefix plus the topic id. */
export const MAX_TOPIC_NAME = 249;

/**
 * Checks a topology document: its shape (the schema) and the rules a schema cannot say — unique ids, links
 * between existing nodes of the right kinds, no REST call cycles, topic names Kafka accepts.
 * Returns every problem found, the first one being the one to show.
 */
export function validateTopology(input: unknown, topicPrefix = 'lab.'): Validation {
  const shape = shapeProblems(input);
  if (shape.length) return { ok: false, problems: shape };
  const topology = normalizeTopology(input as TopologyDocument);
  const problems = ruleProblems(topology, topicPrefix);
  return problems.length ? { ok: false, problems } : { ok: true, topology };
}

function shapeProblems(input: unknown): Problem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ path: '', error: 'the topology must be a JSON object with version, name, nodes and links' }];
  }
  const shell = documentShell.Errors(input)[0];
  if (shell) return [schemaProblem('', shell)];
  const doc = input as { nodes: unknown[]; links: unknown[] };
  const problems: Problem[] = [];
  for (const [i, node] of doc.nodes.entries()) problems.push(...itemProblems(node, `nodes.${i}`, nodeSchemas));
  for (const [i, link] of doc.links.entries()) problems.push(...itemProblems(link, `links.${i}`, linkSchemas));
  const extra = Object.keys(input).filter((key) => !(key in TopologyDocument.properties));
  if (extra.length) problems.push({ path: extra[0]!, error: `unknown field "${extra[0]}"` });
  return problems;
}

/** Nodes and links are unions keyed by `kind`: checking against the kind's own schema names the real field. */
function itemProblems(item: unknown, path: string, schemas: Record<string, ReturnType<typeof Compile>>): Problem[] {
  const kind = (item as { kind?: unknown } | null)?.kind;
  const kinds = Object.keys(schemas);
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    return [
      { path: `${path}.kind`, error: `${path}.kind must be one of ${kinds.join(', ')} (got ${JSON.stringify(kind)})` },
    ];
  }
  const first = schemas[kind]!.Errors(item)[0];
  return first ? [schemaProblem(path, first)] : [];
}

function schemaProblem(
  base: string,
  error: { instancePath: string; message: string; keyword: string; params: object },
): Problem {
  const inner = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  let path = [base, inner].filter(Boolean).join('.');
  let message = error.message;
  if (error.keyword === 'required') {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties?.[0];
    if (missing) path = [path, missing].filter(Boolean).join('.');
    message = 'is required';
  } else if (error.keyword === 'boolean') {
    // TypeBox reports a field that additionalProperties: false forbids as "schema is false" at its own path.
    message = 'is not a known field';
  } else if (error.keyword === 'const' && path.includes('.payload.') && path.endsWith('.kind')) {
    // A payload field is a union keyed by kind: name every kind rather than the first branch's.
    message = `must be one of ${PAYLOAD_KINDS.map((k) => JSON.stringify(k)).join(', ')}`;
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify((error.params as { allowedValue?: unknown }).allowedValue)}`;
  } else if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperties?: string[] }).additionalProperties?.[0];
    if (extra) path = [path, extra].filter(Boolean).join('.');
    message = 'is not a known field';
  } else if (error.keyword === 'pattern' && path.endsWith('id')) {
    message = 'may use only letters, digits, ".", "_" and "-" (Kafka topic name rules)';
  }
  return { path, error: `${path || 'topology'} ${message}` };
}

function ruleProblems(topology: Topology, topicPrefix: string): Problem[] {
  const problems: Problem[] = [];
  const kindOf = new Map<string, string>();
  const collisions = new Map<string, string>();
  topology.nodes.forEach((node, i) => {
    if (kindOf.has(node.id))
      problems.push({ path: `nodes.${i}.id`, error: `nodes.${i}.id "${node.id}" is used by another node` });
    kindOf.set(node.id, node.kind);
    if (node.kind === 'topic') {
      const name = `${topicPrefix}${node.id}`;
      // Kafka refuses two topics whose names differ only by '.' and '_' (they collide in its metric names).
      const collision = name.replaceAll('.', '_');
      const other = collisions.get(collision);
      if (other !== undefined) {
        problems.push({
          path: `nodes.${i}.id`,
          error: `nodes.${i}.id "${node.id}" collides with topic "${other}": Kafka treats "." and "_" in topic names alike`,
        });
      }
      collisions.set(collision, node.id);
      if (node.id === '.' || node.id === '..')
        problems.push({ path: `nodes.${i}.id`, error: `nodes.${i}.id cannot be "." or ".." (Kafka topic name rules)` });
      if (node.schema !== undefined) problems.push(...topicSchemaProblems(node.schema, `nodes.${i}.schema`));
      if (name.length > MAX_TOPIC_NAME)
        problems.push({
          path: `nodes.${i}.id`,
          error: `nodes.${i}.id makes the topic name "${name}" longer than Kafka's ${MAX_TOPIC_NAME} characters`,
        });
    }
    if (node.kind === 'source') {
      if (node.keyField !== undefined && !Object.hasOwn(node.payload, node.keyField)) {
        problems.push({
          path: `nodes.${i}.keyField`,
          error: `nodes.${i}.keyField "${node.keyField}" is not a payload field of "${node.id}"`,
        });
      }
      for (const [field, spec] of Object.entries(node.payload)) {
        if (spec.kind === 'number' && spec.min > spec.max) {
          problems.push({
            path: `nodes.${i}.payload.${field}.min`,
            error: `nodes.${i}.payload.${field}.min is greater than its max`,
          });
        }
      }
    }
  });

  problems.push(...quotaProblems(topology));

  const linkIds = new Set<string>();
  const pairs = new Set<string>();
  for (const [i, link] of topology.links.entries()) {
    const at = `links.${i}`;
    if (linkIds.has(link.id))
      problems.push({ path: `${at}.id`, error: `${at}.id "${link.id}" is used by another link` });
    linkIds.add(link.id);
    const problem = endpointProblem(link, at, kindOf);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const pair = `${link.kind}:${link.from}->${link.to}`;
    if (pairs.has(pair))
      problems.push({ path: at, error: `${at}: "${link.from}" already has a ${link.kind} link to "${link.to}"` });
    pairs.add(pair);
  }
  problems.push(...deadLetterProblems(topology, kindOf, topicPrefix));
  problems.push(...behaviorProblems(topology, kindOf));
  problems.push(...apiProblems(topology, kindOf));
  if (problems.length) return problems;

  const cycle = findCallCycle(topology);
  if (cycle) {
    const index = topology.links.findIndex(
      (l) => l.kind === 'call' && l.from === cycle.at(-2) && l.to === cycle.at(-1),
    );
    problems.push({
      path: `links.${index}`,
      error: `links.${index}: REST calls form a cycle (${cycle.join(' → ')}): every request would wait on itself`,
    });
  }
  return problems;
}

/** A route must lead to a topic the service produces to; a poll must target another service. */
function behaviorProblems(topology: Topology, kindOf: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  topology.nodes.forEach((node, i) => {
    if (node.kind !== 'service') return;
    const at = `nodes.${i}.behavior`;
    const behavior = node.behavior;
    if (behavior.kind === 'route') {
      const produced = new Set(
        topology.links.flatMap((l) => (l.kind === 'produce' && l.from === node.id ? [l.to] : [])),
      );
      const targets = [
        ...Object.entries(behavior.routes).map(([value, topic]) => [`routes.${value}`, topic] as const),
        ...(behavior.otherwise ? [['otherwise', behavior.otherwise] as const] : []),
      ];
      for (const [field, topic] of targets)
        if (!produced.has(topic))
          problems.push({
            path: `${at}.${field}`,
            error: `${at}.${field}: "${node.id}" has no produce link to "${topic}" (route only to topics it produces to)`,
          });
    }
    if (behavior.kind === 'poll') {
      if (kindOf.get(behavior.target) !== 'service' || behavior.target === node.id)
        problems.push({
          path: `${at}.target`,
          error: `${at}.target: "${behavior.target}" is not another service of this topology`,
        });
    }
  });
  return problems;
}

/**
 * REST API versions must increase, and a call link can only be built against a version its callee has shipped.
 * (That each response is an Avro record of JSON types is checked on the server, where avsc runs.)
 */
function apiProblems(topology: Topology, kindOf: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  const apis = new Map<string, number[]>();
  topology.nodes.forEach((node, i) => {
    if (node.kind !== 'service' || !node.api) return;
    const versions = node.api.versions.map((v) => v.version);
    versions.forEach((version, v) => {
      const previous = versions[v - 1];
      if (previous !== undefined && version <= previous) {
        const at = `nodes.${i}.api.versions.${v}.version`;
        problems.push({ path: at, error: `${at} must be greater than ${previous} (the version before it)` });
      }
    });
    apis.set(node.id, versions);
  });
  topology.links.forEach((link, i) => {
    // A call to an unknown node or a non-service is reported by its endpoint check already.
    if (link.kind !== 'call' || link.apiVersion === undefined || kindOf.get(link.to) !== 'service') return;
    const at = `links.${i}.apiVersion`;
    const versions = apis.get(link.to);
    if (!versions)
      problems.push({
        path: at,
        error: `${at}: "${link.to}" has no API versions to be built against (give it an api, or remove apiVersion)`,
      });
    else if (!versions.includes(link.apiVersion))
      problems.push({
        path: at,
        error: `${at}: "${link.to}" has no API version ${link.apiVersion} (its versions: ${versions.join(', ')})`,
      });
  });
  return problems;
}

/** A dead-letter topic must be creatable: its id free for a topic, its Kafka name within Kafka's limit. */
function deadLetterProblems(topology: Topology, kindOf: Map<string, string>, topicPrefix: string): Problem[] {
  const problems: Problem[] = [];
  for (const [i, link] of topology.links.entries()) {
    if (link.kind !== 'consume' || link.onFailure !== 'dead-letter') continue;
    const id = deadLetterTopicId(link.from);
    const taken = kindOf.get(id);
    if (taken && taken !== 'topic')
      problems.push({
        path: `links.${i}.onFailure`,
        error: `links.${i}.onFailure: the dead-letter topic "${id}" would clash with the ${taken} of that id`,
      });
    else if (`${topicPrefix}${id}`.length > MAX_TOPIC_NAME)
      problems.push({
        path: `links.${i}.onFailure`,
        error: `links.${i}.onFailure: the dead-letter topic "${topicPrefix}${id}" is longer than Kafka's ${MAX_TOPIC_NAME} characters`,
      });
  }
  return problems;
}

/** What is wrong with where a link starts and ends, if anything. */
function endpointProblem(link: TopologyLink, at: string, kindOf: Map<string, string>): Problem | undefined {
  const from = kindOf.get(link.from);
  const to = kindOf.get(link.to);
  if (!from) return { path: `${at}.from`, error: `${at}.from: unknown node "${link.from}"` };
  if (!to) return { path: `${at}.to`, error: `${at}.to: unknown node "${link.to}"` };
  const rule = LINK_RULES[link.kind];
  if (!(rule.from as readonly string[]).includes(from) || !(rule.to as readonly string[]).includes(to)) {
    return {
      path: `${at}.kind`,
      error: `${at}: a ${link.kind} link cannot go from a ${from} to a ${to} (${rule.reads})`,
    };
  }
  if (link.from === link.to) return { path: `${at}.to`, error: `${at}: "${link.from}" cannot call itself` };
  return undefined;
}

/** A cycle of call links as the list of node ids around it (first id repeated at the end), if there is one. */
export function findCallCycle(topology: Pick<Topology, 'links'>): string[] | undefined {
  const calls = new Map<string, string[]>();
  for (const link of topology.links)
    if (link.kind === 'call') calls.set(link.from, [...(calls.get(link.from) ?? []), link.to]);
  return findCycle(calls);
}
