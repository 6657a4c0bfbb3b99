import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');

function importsOf(folder: string): [file: string, from: string][] {
  return readdirSync(join(SRC, folder))
    .filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.'))
    .flatMap((file) =>
      [...readFileSync(join(SRC, folder, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m): [string, string] => [
        `${folder}/${file}`,
        m[1]!,
      ]),
    );
}

/**
 * The state knows no drawing code: the store, the number formats and the geometry are plain TypeScript the
 * canvas reads from, never the other way round, so they can be tested (and reused) without React Flow.
 */
describe('web module boundaries', () => {
  it('the store imports nothing from the canvas, the panels or React Flow', () => {
    const bad = importsOf('store').filter(([, from]) => /canvas|panels|bar\/|@xyflow/.test(from));
    expect(bad).toEqual([]);
  });

  it('formats and geometry import nothing but the model and each other', () => {
    const bad = [...importsOf('format'), ...importsOf('geometry')].filter(
      ([, from]) => !/^(@lab\/model|\.\/[\w.-]+|\.\.\/(format|geometry)\/[\w.-]+)$/.test(from),
    );
    expect(bad).toEqual([]);
  });
});
