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

  describe('the step fields of learner-paced labs', () => {
    const LAB = '03-event-driven-flow/lab.yaml';
    const SOLUTION = '03-event-driven-flow/solution.yaml';
    const crashCheck = '{ metric: links.consume.lag, op: ">", value: 100 }';
    const withCrashCondition = (condition: string) => labWith((y) => y.replace(crashCheck, condition));

    it('names a condition with no target', () => {
      expect(withCrashCondition('{ metric: links.consume.lag, op: ">" }').problems).toContainEqual({
        file: LAB,
        step: 'crash',
        error: 'check condition 2 on "links.consume.lag" needs a value or than (another metric) to compare with',
      });
    });

    it('names a condition with two targets', () => {
      const { problems } = withCrashCondition(
        '{ metric: links.consume.lag, op: ">", value: 1, than: nodes.checkout.outRate }',
      );
      expect(problems).toContainEqual({
        file: LAB,
        step: 'crash',
        error: 'check condition 2 on "links.consume.lag" has both value and than: give one target',
      });
    });

    it('names times without than', () => {
      const { problems } = withCrashCondition('{ metric: links.consume.lag, op: ">", value: 1, times: 2 }');
      expect(problems).toContainEqual({
        file: LAB,
        step: 'crash',
        error: 'check condition 2 on "links.consume.lag" has times but no than: times scales the other metric',
      });
    });

    it('names an order comparison with a word', () => {
      const { problems } = withCrashCondition('{ metric: links.consume.lag, op: ">", value: lots }');
      expect(problems).toContainEqual({
        file: LAB,
        step: 'crash',
        error: 'check condition 2 on "links.consume.lag" compares with ">", which needs a number, not "lots"',
      });
    });

    it('names a than metric that names nothing', () => {
      const { problems } = withCrashCondition('{ metric: links.consume.lag, op: ">", than: nodes.ghost.outRate }');
      expect(problems).toContainEqual({
        file: LAB,
        step: 'crash',
        error: 'metric "nodes.ghost.outRate" names no node of this lab\'s topology',
      });
    });

    it('names a check on a measure the step does not have', () => {
      const { problems } = withCrashCondition('{ metric: measures.lagTime, op: ">", value: 1 }');
      expect(problems).toContainEqual({
        file: LAB,
        step: 'crash',
        error: 'check condition 2: "measures.lagTime" names no measure of this step',
      });
    });

    it('names a duration measure whose until condition has no target', () => {
      const { problems } = labWith((y) =>
        y
          .replace(
            '      - name: drainTime\n        stat: duration\n',
            '      - name: drainTime\n        stat: duration\n        unit: s\n',
          )
          .replace(
            'until: { metric: links.consume.lag, op: "==", value: 0 }',
            'until: { metric: links.consume.lag, op: "==" }',
          ),
      );
      expect(problems).toContainEqual({
        file: LAB,
        step: 'recover',
        error:
          'measure "drainTime" until on "links.consume.lag" needs a value or than (another metric) to compare with',
      });
    });

    it('names a minSeconds that is not a whole number of seconds', () => {
      const { problems } = labWith((y) => y.replace('minSeconds: 15', 'minSeconds: 2.5'));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ file: LAB, step: 'crash' });
      expect(problems[0]!.error).toMatch(/^steps\.1\.minSeconds /);
    });

    it('names a predict step whose cause is not a node', () => {
      const { problems } = labWith((y) =>
        y.replace('    minSeconds: 15\n', '    minSeconds: 15\n    predict: { cause: [paymnts] }\n'),
      );
      expect(problems).toContainEqual({
        file: LAB,
        step: 'crash',
        error: 'predict.cause names unknown node "paymnts"',
      });
    });

    it('names a predict step without a prediction in the solution', () => {
      const { problems } = labWith((y) =>
        y.replace('    minSeconds: 15\n', '    minSeconds: 15\n    predict: { cause: [payments] }\n'),
      );
      expect(problems).toContainEqual({
        file: SOLUTION,
        step: 'crash',
        error: 'predict step "crash" needs a prediction in solution.yaml (predictions: { crash: [nodes] })',
      });
    });

    it('names a predict step without a button for its fault', () => {
      const { problems } = labWith((y) =>
        y
          .replace('    title: "Stop Checkout and count: nothing lost"\n', '$&    predict: { cause: [payments] }\n')
          .replace(
            '    actions:\n      - label: Stop Checkout\n        command: { rate: { node: checkout, perSecond: 0 } }\n',
            '',
          ),
      );
      expect(problems).toContainEqual({
        file: LAB,
        step: 'count',
        error: 'a predict step needs a button that applies its fault (actions), pressed after predicting',
      });
    });

    it('names a solution prediction for a step that asks for none, and unknown nodes in it', () => {
      const { problems } = labWith((s) => `${s}predictions:\n  crash: [checkout, ghost]\n`, 'solution.yaml');
      expect(problems).toContainEqual({
        file: SOLUTION,
        step: 'crash',
        error: 'predictions names step "crash", which asks for no prediction',
      });
      expect(problems).toContainEqual({
        file: SOLUTION,
        step: 'crash',
        error: 'prediction names unknown node "ghost"',
      });
    });
  });
});
