import { readFileSync } from 'node:fs';
import { idRecord, own, ownOrAdd } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { productSources, ROOT } from '../../../test/product-sources.js';

describe('records keyed by user-chosen ids', () => {
  it('idRecord has no prototype; own reads own entries only; ownOrAdd adds "__proto__" as an entry', () => {
    const record = idRecord<number>([['__proto__', 1]]);
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(own(record, '__proto__')).toBe(1);
    expect(own(record, 'constructor')).toBeUndefined();
    // A record that crossed JSON or a worker message has a prototype again: own still sees only its entries.
    const crossed = JSON.parse('{"__proto__":[2],"a":[3]}') as Record<string, number[]>;
    expect(own(crossed, 'toString')).toBeUndefined();
    expect(own(crossed, '__proto__')).toEqual([2]);
    ownOrAdd(crossed, 'constructor', () => [4]).push(5);
    expect(own(crossed, 'constructor')).toEqual([4, 5]);
    const plain: Record<string, number[]> = Object.create(Object.prototype);
    ownOrAdd(plain, '__proto__', () => [6]);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.keys(plain)).toEqual(['__proto__']);
  });

  it('the product makes no plain `{}` record keyed by strings (use idRecord from model/src/records.ts)', () => {
    const plainRecord = /Record<string,[^=;]*>\s*=\s*\{\s*\}|\{\s*\}\s+as\s+Record<string/;
    const offenders = productSources()
      .filter((file) => plainRecord.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(ROOT.length));
    expect(offenders).toEqual([]);
  });
});
