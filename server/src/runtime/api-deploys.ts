import { builtAgainst, type Service, type Topology } from '@lab/model';

/**
 * What a live edit changed of the REST contracts, for the event log: a service now answering with another API
 * version (a deploy), a caller now built against another one (an update). A breaking deploy shows in the
 * callers' failures; these lines say what was shipped, and when.
 */
export function apiChanges(previous: Topology, next: Topology): string[] {
  const latest = (t: Topology) =>
    new Map(t.nodes.flatMap((n) => (n.kind === 'service' && n.api ? [[n.id, n.api.versions.at(-1)?.version]] : [])));
  const before = latest(previous);
  const after = latest(next);
  const lines: string[] = [];
  for (const [id, version] of after)
    if (before.get(id) !== version) lines.push(`${id} now answers with API version ${version}`);
  const reads = (t: Topology) => {
    const services = new Map(t.nodes.flatMap((n): [string, Service][] => (n.kind === 'service' ? [[n.id, n]] : [])));
    return new Map(
      t.links.flatMap((l) => (l.kind === 'call' ? [[`${l.from} → ${l.to}`, builtAgainst(l, services.get(l.to))]] : [])),
    );
  };
  const was = reads(previous);
  for (const [call, version] of reads(next))
    if (version !== undefined && was.has(call) && was.get(call) !== version)
      lines.push(`${call} is now built against API version ${version}`);
  return lines;
}
