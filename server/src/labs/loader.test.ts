import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLabs } from './loader.js';

const LABS = fileURLToPath(new URL('../../../labs', import.meta.url));

/** A copy of one real lab, with its lab.yaml edited by `change`. */
function labWith(change: (yaml: string) => string, file = 'lab.yaml') {
  const root = mkdtempSync(join(tmpdir(), 'labs-'));
  cpSync(join(LABS, '03-event-driven-flow'), join(root, '03-event-driven-flow'), { recursive: true });
  const path = join(root, '03-event-driven-flow', file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
  return loadLabs(root);
}

describe('loadLabs', () => {
  it('loads every lab in the repository without a problem', () => {
    const { labs, problems } = loadLabs(LABS);
    expect(problems).toEqual([]);
    expect(labs.length).toBeGreaterThan(0);
  });

  it('names the file, the step and the problem for an unknown node in a check', () => {
    const { problems } = labWith((y) => y.replace('metric: nodes.payments.inRate', 'metric: nodes.paymnts.inRate'));
    expect(problems).toEqual([
      {
        file: '03-event-driven-flow/lab.yaml',
        step: 'run',
        error: 'metric "nodes.paymnts.inRate" names no node of this lab\'s topology',
      },
    ]);
  });

  it('names a bad condition operator with its step', () => {
    const { problems } = labWith((y) => y.replace('op: ">", value: 100', 'op: "more than", value: 100'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: '03-event-driven-flow/lab.yaml', step: 'crash' });
    expect(problems[0]!.error).toMatch(/steps\.1\.check/);
  });

  it('names a button that acts on an unknown node', () => {
    const { problems } = labWith((y) =>
      y.replace(
        'command: { action: { node: payments, action: crash } }\n    check',
        'command: { action: { node: billing, action: crash } }\n    check',
      ),
    );
    expect(problems).toContainEqual({
      file: '03-event-driven-flow/lab.yaml',
      step: 'crash',
      error: 'command names unknown node "billing"',
    });
  });

  it('names an explanation placeholder that nothing measures', () => {
    const { problems } = labWith((y) => y.replace('{{peakLag}}', '{{peak}}'));
    expect(problems).toContainEqual({
      file: '03-event-driven-flow/lab.yaml',
      step: 'recover',
      error: 'explain uses {{peak}} but the step measures no "peak"',
    });
  });

  it('names a broken starting topology file', () => {
    const { problems } = labWith((t) => t.replace('"to": "payments"', '"to": "nobody"'), 'topology.json');
    expect(problems).toEqual([
      { file: '03-event-driven-flow/topology.json', error: 'links.1.to: unknown node "nobody"' },
    ]);
  });

  it('names YAML that does not parse', () => {
    const { problems } = labWith((y) => `${y}\n  - : [`);
    expect(problems[0]).toMatchObject({
      file: '03-event-driven-flow/lab.yaml',
      error: expect.stringMatching(/^cannot be read/),
    });
  });

  it('names a solution step the lab does not have', () => {
    const { problems } = labWith((s) => `${s}  celebrate:\n    - { run: true }\n`, 'solution.yaml');
    expect(problems).toContainEqual({
      file: '03-event-driven-flow/solution.yaml',
      step: 'celebrate',
      error: 'no step "celebrate" in lab.yaml',
    });
  });
});
