import { describe, expect, it } from 'vitest';
import { replayRequested } from './source';

describe('opening a replay from the address', () => {
  it('reads a shared moment', () => {
    expect(replayRequested('#replay=20260101T120000Z-abcdef&t=42.5')).toEqual({
      id: '20260101T120000Z-abcdef',
      atSeconds: 42.5,
    });
    expect(replayRequested('#replay=x')).toEqual({ id: 'x', atSeconds: undefined });
  });

  it('ignores a live page and a bad time', () => {
    expect(replayRequested('')).toBeUndefined();
    expect(replayRequested('#topology=abc')).toBeUndefined();
    expect(replayRequested('#replay=x&t=-3')).toEqual({ id: 'x', atSeconds: undefined });
  });
});
