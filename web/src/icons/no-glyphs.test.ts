import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');
/**
 * Symbols and emoji that machines without an emoji or symbol font draw as empty boxes. The arrow → and
 * the ⌘ key are in every common text font (DejaVu, Liberation, Noto Sans), so they may stay in text.
 */
const GLYPH = /[\u2139\u2190-\u2191\u2193-\u21FF\u2300-\u2317\u2319-\u23FF\u25A0-\u27BF\u{1F300}-\u{1FAFF}]/u;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.includes('.test.') ? [path] : [];
  });
}

describe('the app draws its own icons', () => {
  it('shows no symbol glyphs or emoji outside comments (use icons/Icon or StatusIcon)', () => {
    const found = sources(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => [`${file.slice(SRC.length + 1)}:${i + 1}`, line] as const)
        .filter(([, line]) => !/^\s*(\/\/|\*|\/\*)/.test(line) && GLYPH.test(line))
        .map(([at, line]) => `${at}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
