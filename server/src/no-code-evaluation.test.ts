import { readFileSync } from 'node:fs';
import { TopicSchemaChecker } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { productSources } from '../../test/product-sources.js';

describe('no endpoint evaluates user-supplied code', () => {
  it('the product has no eval, no new Function and no vm in model, server or web', () => {
    const offenders = productSources().filter((file) =>
      /\beval\s*\(|new\s+Function\s*\(|from 'node:vm'|require\('vm'\)/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('a topic schema is read as data: hostile strings in it are never run', () => {
    const hostile = {
      type: 'object',
      properties: {
        "a'); globalThis.__pwned = true; ('": { type: 'string', pattern: "'); globalThis.__pwned = true; ('" },
      },
      required: ["'); globalThis.__pwned = true; ('"],
    };
    // The same checker the producers use (runtime/worker/outputs.ts): it interprets, it never compiles.
    expect(new TopicSchemaChecker(hostile).check({ x: 1 })).toBe(false);
    expect((globalThis as { __pwned?: boolean }).__pwned).toBeUndefined();
  });
});
