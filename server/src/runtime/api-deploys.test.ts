import { type TopologyDocument, validateTopology } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { apiChanges } from './api-deploys.js';

const answer = { type: 'record', name: 'A', fields: [{ name: 'a', type: 'string' }] };
const topology = (versions: number, apiVersion?: number) => {
  const doc = {
    version: 1,
    name: 'deploys',
    nodes: [
      { id: 'billing', kind: 'service' },
      {
        id: 'customers',
        kind: 'service',
        api: { versions: Array.from({ length: versions }, (_, i) => ({ version: i + 1, response: answer })) },
      },
    ],
    links: [{ id: 'c', kind: 'call', from: 'billing', to: 'customers', ...(apiVersion ? { apiVersion } : {}) }],
  } as TopologyDocument;
  const result = validateTopology(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.topology;
};

describe('apiChanges: what the event log says of a live edit', () => {
  it('names a deploy of a new API version and a caller updated to another', () => {
    expect(apiChanges(topology(1), topology(2))).toEqual(['customers now answers with API version 2']);
    expect(apiChanges(topology(2), topology(2, 2))).toEqual(['billing → customers is now built against API version 2']);
    expect(apiChanges(topology(2, 1), topology(2))).toEqual([]); // the default is the first version: no change
  });
});
