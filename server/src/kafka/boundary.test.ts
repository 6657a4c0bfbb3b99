import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourcesUnder } from '../../../test/product-sources.js';

/** An import of kafkajs in any form: `from 'kafkajs'`, a subpath, a dynamic import or a require. */
const KAFKAJS_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]kafkajs(?:\/[^'"]*)?['"]/;

describe('kafkajs stays behind server/src/kafka/', () => {
  it('no source of model, server, web or the bench imports kafkajs outside server/src/kafka/', () => {
    const offenders = sourcesUnder(['model/src', 'server/src', 'web/src', 'bench'], { tests: true })
      .map((file) => relative(ROOT, file))
      .filter((file) => !file.startsWith('server/src/kafka/'))
      .filter((file) => KAFKAJS_IMPORT.test(readFileSync(`${ROOT}/${file}`, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the check recognises every form of import it is meant to catch', () => {
    for (const line of [
      "import type { Kafka } from 'kafkajs';",
      'import { Partitioners } from "kafkajs";',
      "const k = await import('kafkajs');",
      "const k = require('kafkajs/types');",
    ])
      expect(KAFKAJS_IMPORT.test(line), line).toBe(true);
    expect(KAFKAJS_IMPORT.test("import { createKafka } from '../kafka/client.js';")).toBe(false);
  });
});
