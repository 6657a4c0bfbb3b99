import { describe, expect, it } from 'vitest';
import { newClusterId } from './cluster-id.js';
import { parseJavaMajor } from './java.js';

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
    ['openjdk version "25-ea" 2025-09-16', 25],
  ])('%s -> %i', (output, major) => expect(parseJavaMajor(output)).toBe(major));

  it('returns undefined for output it cannot read', () => expect(parseJavaMajor('hello')).toBeUndefined());
});

describe('newClusterId', () => {
  it('makes 22-character URL-safe ids that never start with a dash, different each time', () => {
    const ids = Array.from({ length: 200 }, newClusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
