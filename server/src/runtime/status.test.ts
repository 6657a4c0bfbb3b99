import { describe, expect, it } from 'vitest';
import { serviceStatus } from './status.js';

const of = (...statuses: string[]) => statuses.map((status, i) => ({ id: `s-${i + 1}`, status }) as never);

describe('serviceStatus', () => {
  it('is down only when every instance is down', () => {
    expect(serviceStatus(of('down', 'down'), false)).toBe('down');
    expect(serviceStatus(of('down', 'running'), false)).toBe('running');
  });
  it('shows the most telling fault of the live instances', () => {
    expect(serviceStatus(of('running', 'slow', 'hung'), false)).toBe('hung');
    expect(serviceStatus(of('running', 'slow'), false)).toBe('slow');
  });
  it('says failing, not running, when most inputs fail (measured)', () => {
    expect(serviceStatus(of('running'), false, 1)).toBe('failing');
    expect(serviceStatus(of('running'), false, 0.5)).toBe('failing');
    expect(serviceStatus(of('running'), false, 0.2)).toBe('running');
    expect(serviceStatus(of('hung'), false, 1)).toBe('hung');
  });
  it('shows a rebalancing group', () => {
    expect(serviceStatus(of('running'), true)).toBe('rebalancing');
  });
});
