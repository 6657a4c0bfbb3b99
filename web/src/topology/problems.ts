import { idRecord, own, type Problem, type TopologyDocument } from '@lab/model';

/** A problem as a form shows it: beside its field, without the path the field already says. */
export interface ItemProblems {
  /** field name ('' for the item as a whole) -> message */
  [field: string]: string;
}
export interface ProblemMap {
  document: string[];
  nodes: Record<string, ItemProblems>;
  links: Record<string, ItemProblems>;
}

/**
 * Sorts validateTopology's (or the server's) problems by the node or link they are about, keyed by id
 * (paths use indexes, which the canvas does not show): `nodes.2.partitions` -> nodes[id of 2].partitions.
 */
export function problemsByItem(doc: TopologyDocument, problems: readonly Problem[]): ProblemMap {
  const map: ProblemMap = { document: [], nodes: idRecord(), links: idRecord() };
  for (const problem of problems) {
    const [group, index, field = ''] = problem.path.split('.');
    const items = group === 'nodes' ? doc.nodes : group === 'links' ? doc.links : undefined;
    const item = items?.[Number(index)];
    if (!item || (group !== 'nodes' && group !== 'links')) {
      map.document.push(problem.error);
      continue;
    }
    const byField = own(map[group], item.id) ?? idRecord<string>();
    byField[field] ??= withoutPath(problem.error, `${group}.${index}`);
    map[group][item.id] = byField;
  }
  return map;
}

/** "nodes.0.partitions must be <= 12" -> "must be <= 12"; "links.0: a consume…" -> "a consume…". */
function withoutPath(error: string, itemPath: string): string {
  if (!error.startsWith(itemPath)) return error;
  return error
    .slice(itemPath.length)
    .replace(/^\.[\w.]+/, '')
    .replace(/^:/, '')
    .trim();
}

/** "nodes.1.partitions must be <= 12" -> "orders: partitions must be <= 12": the name the user sees, not an index. */
export function describeProblem(doc: TopologyDocument, error: string): string {
  const match = /^(nodes|links)\.(\d+)[.:]?\s?/.exec(error);
  if (!match) return error;
  const item = (match[1] === 'nodes' ? doc.nodes : doc.links)[Number(match[2])];
  if (!item) return error;
  const name = 'label' in item && item.label ? item.label : item.id;
  return `${name}: ${error.slice(match[0].length)}`;
}
