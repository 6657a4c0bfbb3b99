import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productSources, ROOT } from './product-sources.js';

/** Every environment variable the product reads, by name (`process.env.NAME` or `env.NAME` of a config). */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of productSources()) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)) names.add(match[1]!);
  }
  return [...names].sort();
}

describe('the README', () => {
  it('documents every environment variable the product reads', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const variables = variablesRead();
    expect(variables.length).toBeGreaterThan(10);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``) && !readme.includes(`${name}=`))).toEqual([]);
  });
});
