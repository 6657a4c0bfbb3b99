import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type Check,
  type Command,
  type Condition,
  impliedDeadLetterTopics,
  Lab,
  LabSolution,
  LEARNER_JOURNEYS,
  own,
  type Topology,
} from '@lab/model';
import Compile from 'typebox/compile';
import { parse } from 'yaml';
import { validateDocument } from '../schemas/validate.js';

/** One mistake in a lab, named so an instructor can fix it without reading code. */
export interface LabProblem {
  file: string;
  step?: string;
  error: string;
}

export interface LoadedLab {
  lab: Lab;
  dir: string;
  /** Every topology file of the lab (the starting one and those its commands swap in), validated. */
  topologies: Map<string, Topology>;
  solution: LabSolution | undefined;
}

const checkLab = Compile(Lab);
const checkSolution = Compile(LabSolution);
const SECTIONS = new Set(['nodes', 'links', 'topics', 'flows']);

/** Loads every lab folder under `root` (folders without lab.yaml are skipped). */
export function loadLabs(root: string, topicPrefix = 'lab.'): { labs: LoadedLab[]; problems: LabProblem[] } {
  const labs: LoadedLab[] = [];
  const problems: LabProblem[] = [];
  if (!existsSync(root)) return { labs, problems };
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'lab.yaml'))) continue;
    const result = loadLab(dir, topicPrefix, root);
    problems.push(...result.problems);
    if (result.lab) labs.push(result.lab);
  }
  const ids = new Map<string, string>();
  for (const { lab, dir } of labs) {
    const other = ids.get(lab.id);
    if (other)
      problems.push({ file: relative(root, join(dir, 'lab.yaml')), error: `id "${lab.id}" is also used by ${other}` });
    ids.set(lab.id, relative(root, dir));
  }
  return { labs, problems };
}

export function loadLab(
  dir: string,
  topicPrefix = 'lab.',
  root = join(dir, '..'),
): { lab?: LoadedLab; problems: LabProblem[] } {
  const problems: LabProblem[] = [];
  const file = (name: string) => relative(root, join(dir, name));
  const read = (name: string): unknown => {
    const text = readFileSync(join(dir, name), 'utf8');
    return name.endsWith('.json') ? JSON.parse(text) : parse(text);
  };

  let raw: unknown;
  try {
    raw = read('lab.yaml');
  } catch (err) {
    return { problems: [{ file: file('lab.yaml'), error: `cannot be read: ${message(err)}` }] };
  }
  const shape = checkLab.Errors(raw)[0];
  if (shape) {
    const at = shape.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const stepIndex = /^steps\.(\d+)/.exec(at)?.[1];
    const stepId =
      stepIndex !== undefined ? (raw as { steps?: { id?: string }[] }).steps?.[Number(stepIndex)]?.id : undefined;
    return { problems: [{ file: file('lab.yaml'), step: stepId, error: `${at || 'lab'} ${shape.message}` }] };
  }
  const lab = raw as Lab;

  // Every topology the lab names: the starting one, and any a command swaps in.
  const topologies = new Map<string, Topology>();
  const commands = [
    ...lab.steps.flatMap((s) => (s.actions ?? []).map((a) => a.command)),
    ...(lab.scenario ?? []).map((e) => e.command),
  ];
  let solution: LabSolution | undefined;
  if (existsSync(join(dir, 'solution.yaml'))) {
    try {
      const parsed = read('solution.yaml');
      const error = checkSolution.Errors(parsed)[0];
      if (error)
        problems.push({ file: file('solution.yaml'), error: `${error.instancePath || 'solution'} ${error.message}` });
      else {
        solution = parsed as LabSolution;
        for (const [stepId, list] of Object.entries(solution.steps)) {
          if (!lab.steps.some((s) => s.id === stepId))
            problems.push({ file: file('solution.yaml'), step: stepId, error: `no step "${stepId}" in lab.yaml` });
          commands.push(...list);
        }
      }
    } catch (err) {
      problems.push({ file: file('solution.yaml'), error: `cannot be read: ${message(err)}` });
    }
  } else {
    problems.push({
      file: file('solution.yaml'),
      error: 'missing: every lab needs a solution that completes its steps',
    });
  }
  const names = new Set([lab.topology, ...commands.flatMap((c) => ('topology' in c ? [c.topology] : []))]);
  for (const name of names) {
    try {
      const result = validateDocument(read(name), topicPrefix);
      if (result.ok) topologies.set(name, result.topology);
      else problems.push({ file: file(name), error: `${result.problems[0]?.error}` });
    } catch (err) {
      problems.push({ file: file(name), error: `cannot be read: ${message(err)}` });
    }
  }
  if (topologies.size === names.size) problems.push(...referenceProblems(lab, solution, topologies, file('lab.yaml')));
  return { lab: problems.length ? undefined : { lab, dir, topologies, solution }, problems };
}

/** Checks and commands must name nodes and links that exist in one of the lab's topologies. */
function referenceProblems(
  lab: Lab,
  solution: LabSolution | undefined,
  topologies: Map<string, Topology>,
  labFile: string,
): LabProblem[] {
  const problems: LabProblem[] = [];
  // Dead-letter topics a topology implies are topics too: checks may watch them and commands redrive them.
  const nodes = new Set(
    [...topologies.values()].flatMap((t) => [...t.nodes, ...impliedDeadLetterTopics(t)].map((n) => n.id)),
  );
  const links = new Set([...topologies.values()].flatMap((t) => t.links.map((l) => l.id)));
  const topics = new Set(
    [...topologies.values()].flatMap((t) => t.nodes.filter((n) => n.kind === 'topic').map((n) => n.id)),
  );
  const known = (section: string, id: string) => (section === 'links' ? links.has(id) : nodes.has(id));
  const checkMetric = (metric: string, step: string) => {
    const [section, ...rest] = metric.split('.');
    if (!section || !SECTIONS.has(section)) {
      if (metric !== 'running' && metric !== LEARNER_JOURNEYS)
        problems.push({
          file: labFile,
          step,
          error: `metric "${metric}" must start with nodes., links., topics., flows. or measures. (or be "running" or "${LEARNER_JOURNEYS}")`,
        });
      return;
    }
    // The id is the longest run of segments that names a node or link (ids may contain dots).
    const found = rest.some((_, i) => known(section, rest.slice(0, rest.length - i).join('.')));
    if (!found)
      problems.push({
        file: labFile,
        step,
        error: `metric "${metric}" names no ${section === 'links' ? 'link' : 'node'} of this lab's topology`,
      });
  };
  const checkCommand = (command: Command, step: string, file = labFile) => {
    const node =
      'action' in command
        ? command.action.node
        : 'rate' in command
          ? command.rate.node
          : 'redrive' in command
            ? command.redrive.topic
            : undefined;
    if (node !== undefined && !nodes.has(node))
      problems.push({ file, step, error: `command names unknown node "${node}"` });
    if ('follow' in command && !topics.has(command.follow.topic))
      problems.push({ file, step, error: `follow names "${command.follow.topic}", which is no topic of this lab` });
  };
  for (const step of lab.steps) {
    const measureNames = new Set((step.measures ?? []).map((m) => m.name));
    const checkCondition = (condition: Condition, where: string) => {
      const problem = conditionProblem(condition, where);
      if (problem) problems.push({ file: labFile, step: step.id, error: problem });
      for (const metric of [condition.metric, ...(condition.than ? [condition.than] : [])]) {
        if (!metric.startsWith('measures.')) checkMetric(metric, step.id);
        else if (!measureNames.has(metric.slice('measures.'.length)))
          problems.push({ file: labFile, step: step.id, error: `${where}: "${metric}" names no measure of this step` });
      }
    };
    for (const [i, condition] of conditionsOf(step.check).entries())
      checkCondition(condition, `check condition ${i + 1}`);
    for (const measure of step.measures ?? []) {
      if (measure.stat !== 'duration') checkMetric(measure.metric, step.id);
      else {
        if (measure.from) checkCondition(measure.from, `measure "${measure.name}" from`);
        checkCondition(measure.until, `measure "${measure.name}" until`);
      }
    }
    for (const action of step.actions ?? []) checkCommand(action.command, step.id);
    for (const name of step.explain.matchAll(/\{\{\s*([a-zA-Z0-9]+)\s*\}\}/g)) {
      if (!measureNames.has(name[1] ?? ''))
        problems.push({
          file: labFile,
          step: step.id,
          error: `explain uses {{${name[1]}}} but the step measures no "${name[1]}"`,
        });
    }
    if (step.predict) {
      for (const node of step.predict.cause)
        if (!nodes.has(node))
          problems.push({ file: labFile, step: step.id, error: `predict.cause names unknown node "${node}"` });
      if (!step.actions?.length)
        problems.push({
          file: labFile,
          step: step.id,
          error: 'a predict step needs a button that applies its fault (actions), pressed after predicting',
        });
      if (solution && !own(solution.predictions, step.id))
        problems.push({
          file: labFile.replace('lab.yaml', 'solution.yaml'),
          step: step.id,
          error: `predict step "${step.id}" needs a prediction in solution.yaml (predictions: { ${step.id}: [nodes] })`,
        });
    }
  }
  for (const [stepId, predicted] of Object.entries(solution?.predictions ?? {})) {
    const solutionFile = labFile.replace('lab.yaml', 'solution.yaml');
    if (!lab.steps.find((s) => s.id === stepId)?.predict)
      problems.push({
        file: solutionFile,
        step: stepId,
        error: `predictions names step "${stepId}", which asks for no prediction`,
      });
    for (const node of predicted)
      if (!nodes.has(node))
        problems.push({ file: solutionFile, step: stepId, error: `prediction names unknown node "${node}"` });
  }
  for (const event of lab.scenario ?? []) checkCommand(event.command, `scenario at ${event.at}`);
  for (const [stepId, list] of Object.entries(solution?.steps ?? {}))
    for (const c of list) checkCommand(c, stepId, labFile.replace('lab.yaml', 'solution.yaml'));
  const ids = new Set<string>();
  for (const step of lab.steps) {
    if (ids.has(step.id)) problems.push({ file: labFile, step: step.id, error: `step id "${step.id}" is used twice` });
    ids.add(step.id);
  }
  return problems;
}

/** What the schema cannot say about one condition: exactly one target, and numbers where order is compared. */
export function conditionProblem(condition: Condition, where: string): string | undefined {
  const on = `${where} on "${condition.metric}"`;
  if (condition.value === undefined && condition.than === undefined)
    return `${on} needs a value or than (another metric) to compare with`;
  if (condition.value !== undefined && condition.than !== undefined)
    return `${on} has both value and than: give one target`;
  if (condition.times !== undefined && condition.than === undefined)
    return `${on} has times but no than: times scales the other metric`;
  if (!['==', '!='].includes(condition.op) && condition.value !== undefined && typeof condition.value !== 'number')
    return `${on} compares with "${condition.op}", which needs a number, not ${JSON.stringify(condition.value)}`;
  return undefined;
}

export function conditionsOf(check: Check) {
  return 'all' in check ? check.all : 'any' in check ? check.any : check.sequence;
}

function message(err: unknown) {
  return err instanceof Error ? err.message : String(err);
}
