import { type Problem, type TopologyDocument, validateTopology } from '@lab/model';

export type Parsed = { ok: true; doc: TopologyDocument } | { ok: false; problems: Problem[] };

/**
 * Reads a topology from a file's or a link's text. The document is kept as written (defaults stay implied)
 * but only once it passes the same validation the server applies.
 */
export function parseTopology(text: string): Parsed {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', error: `the file is not JSON: ${(error as Error).message}` }] };
  }
  return checkTopology(input);
}

export function checkTopology(input: unknown): Parsed {
  const result = validateTopology(input);
  return result.ok ? { ok: true, doc: input as TopologyDocument } : result;
}

/** The document as a file: pretty, so it diffs well in a lab's folder. */
export function topologyFile(doc: TopologyDocument): { name: string; text: string } {
  const base = doc.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'topology';
  return { name: `${base}.json`, text: `${JSON.stringify(doc, null, 2)}\n` };
}
