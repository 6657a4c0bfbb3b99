import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every product source file (not tests, not builds) of model, server and web, as absolute paths. */
export function productSources(): string[] {
  return sourcesUnder(['model/src', 'server/src', 'web/src']);
}

/** Every TypeScript file under these folders of the repository, tests too when asked, as absolute paths. */
export function sourcesUnder(dirs: string[], { tests = false } = {}): string[] {
  return dirs.flatMap((dir) => sourcesIn(join(ROOT, dir), tests));
}

function sourcesIn(dir: string, tests: boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourcesIn(path, tests);
    return /\.(ts|tsx)$/.test(name) && (tests || !/\.test\.tsx?$/.test(name)) ? [path] : [];
  });
}
