import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sources(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('no endpoint evaluates user-supplied code', () => {
  it('the product has no eval, no new Function and no vm in model, server or web', () => {
    const offenders = ['model/src', 'server/src', 'web/src']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((file) =>
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
    // The same call the producers make (runtime/worker/outputs.ts): TypeBox's interpreting checker.
    expect(Value.Check(hostile, { x: 1 })).toBe(false);
    expect((globalThis as { __pwned?: boolean }).__pwned).toBeUndefined();
  });
});
