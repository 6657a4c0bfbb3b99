import { type Validation, validateTopology } from '@lab/model';
import { contractProblems } from './compatibility.js';

/**
 * The model's validation plus what needs the server: topic contracts checked with Avro's resolver (avsc
 * stays out of the browser bundle; the inspector shows the server's answer like any other problem).
 */
export function validateDocument(input: unknown, topicPrefix: string): Validation {
  const result = validateTopology(input, topicPrefix);
  if (!result.ok) return result;
  const problems = contractProblems(result.topology);
  return problems.length ? { ok: false, problems } : result;
}
