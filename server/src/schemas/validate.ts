import { type Validation, validateTopology } from '@lab/model';
import { contractProblems } from './compatibility.js';
import { apiProblems } from './rest-contract.js';

/**
 * The model's validation plus what needs the server: topic contracts checked with Avro's resolver and REST API
 * responses parsed as Avro records (avsc stays out of the browser bundle; the inspector shows the server's answer
 * like any other problem).
 */
export function validateDocument(input: unknown, topicPrefix: string): Validation {
  const result = validateTopology(input, topicPrefix);
  if (!result.ok) return result;
  const problems = [...contractProblems(result.topology), ...apiProblems(result.topology)];
  return problems.length ? { ok: false, problems } : result;
}
