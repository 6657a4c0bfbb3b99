import { describe, expect, it } from 'vitest';
import { EXAMPLE_TOPOLOGY } from './example';
import { autoLayout } from './layout';

describe('autoLayout', () => {
  it('places every node, each step of a chain to the right of the one before', () => {
    const at = autoLayout(EXAMPLE_TOPOLOGY);
    expect(at.size).toBe(EXAMPLE_TOPOLOGY.nodes.length);
    const chain = ['shop', 'orders', 'billing', 'invoices', 'mailer'].map((id) => at.get(id)!.x);
    expect([...chain].sort((a, b) => a - b)).toEqual(chain);
    expect(new Set(chain).size).toBe(chain.length);
  });
});
