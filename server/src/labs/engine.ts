import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  advanceCheck,
  type CheckState,
  type Command,
  type ConditionLive,
  conditionsLive,
  type FinishedStep,
  fillExplanation,
  initialCheckState,
  type LabDefinition,
  type LabProgress,
  type LabStep,
  type MeasureState,
  measuredValues,
  type PredictionLive,
  parseDuration,
  recordMeasures,
  type Snapshot,
  suffering,
  type Topology,
  validateTopology,
} from '@lab/model';
import { AppError } from '../errors.js';
import { replaceTopology } from '../runtime/edits.js';
import type { Runtime } from '../runtime/runtime.js';
import type { EventLog } from '../telemetry/log.js';
import type { TopologyStore } from '../topology-store.js';
import type { LoadedLab } from './loader.js';

/** The step being worked on. Its measures run from its start until Continue, not until its check holds. */
interface OpenStep {
  startedAt: number;
  check: CheckState;
  measures: MeasureState;
  /** When the check held with minSeconds honoured: green. */
  passedAt?: number;
  /** A predict step's marked nodes; the check and measures start once they are given. */
  predicted?: string[];
  suffered: Map<string, string>;
  conditions: ConditionLive[];
  /** The snapshot the numbers were last recorded from: what a Continue freezes them against. */
  snapshot?: Snapshot;
}

interface Active {
  loaded: LoadedLab;
  current: number;
  open: OpenStep;
  done: Map<string, FinishedStep>;
  /** Journeys the learner opened during the current step (`learner.journeysFollowed`). */
  journeys: number;
}

interface Scenario {
  playing: boolean;
  elapsedMs: number;
  fired: number;
  lastTick: number;
}

export type LabStatus = 'done' | 'in-progress';

export interface LabEngineOptions {
  labs: LoadedLab[];
  runtime: Runtime;
  store: TopologyStore;
  log: EventLog;
  dataDir: string;
  /** Called when the engine replaced the saved topology, so open browsers reload it. */
  onTopologyReplaced?: () => void;
  /** Called when progress changed outside a snapshot's evaluation (start, leave, the scenario). */
  onProgress?: () => void;
  /** Scales every step's minSeconds: 1 for learners; the headless solution tests use less. */
  minSecondsScale?: number;
}

const openStep = (now: number): OpenStep => ({
  startedAt: now,
  check: initialCheckState(),
  measures: {},
  suffered: new Map(),
  conditions: [],
});

/**
 * Runs the active lab: checks the current step against every live snapshot, records its measures over the
 * step's whole time, keeps its explanation filled with the learner's numbers, and moves on when the learner
 * presses Continue (the scenario player continues by itself). Progress is saved so a reload (or a restart of
 * the server) resumes where the learner was; the learner's own topology is kept aside while a lab runs.
 */
export class LabEngine {
  private active: Active | undefined;
  private scenario: Scenario = { playing: false, elapsedMs: 0, fired: 0, lastTick: 0 };
  private scenarioTimer: NodeJS.Timeout | undefined;
  private readonly progressPath: string;
  private readonly keptPath: string;
  /** Per lab id, whether the learner finished it or left it part way. */
  private history: Record<string, LabStatus> = Object.create(null);

  constructor(private readonly options: LabEngineOptions) {
    this.progressPath = join(options.dataDir, 'lab-progress.json');
    this.keptPath = join(options.dataDir, 'topology-before-lab.json');
    this.restore();
  }

  list() {
    return this.options.labs.map(({ lab }) => ({
      id: lab.id,
      title: lab.title,
      claim: lab.claim,
      minutes: lab.minutes,
      steps: lab.steps.length,
      ...(this.history[lab.id] ? { status: this.history[lab.id] } : {}),
    }));
  }

  find(id: string): LoadedLab {
    const loaded = this.options.labs.find((l) => l.lab.id === id);
    if (!loaded)
      throw new AppError(404, `No lab "${id}" (labs: ${this.options.labs.map((l) => l.lab.id).join(', ')})`, 'id');
    return loaded;
  }

  /** A lab as the guide reads it (GET /api/labs/:id, and each run's recording): its steps and starting topology. */
  definition(id: string): LabDefinition {
    const loaded = this.find(id);
    return { ...loaded.lab, startingTopology: loaded.topologies.get(loaded.lab.topology)! };
  }

  /** Starts (or restarts) a lab from its starting topology, in one step. The learner's own is kept aside. */
  async start(id: string): Promise<void> {
    const loaded = this.find(id);
    const topology = loaded.topologies.get(loaded.lab.topology)!;
    this.pauseScenario();
    this.scenario = { playing: false, elapsedMs: 0, fired: 0, lastTick: 0 };
    // Only the learner's own topology is kept: a restart, or a lab after a lab, keeps what was kept first.
    if (!this.active && !existsSync(this.keptPath)) {
      const own = this.options.store.load().topology;
      if (own.nodes.length > 0) writeAtomically(this.keptPath, JSON.stringify(own));
    }
    // One command: a Run or an edit from another tab cannot land between the reset and the lab's topology.
    await replaceTopology(this.options, topology, 'reset');
    this.options.onTopologyReplaced?.();
    this.active = { loaded, current: 0, open: openStep(Date.now()), done: new Map(), journeys: 0 };
    if (this.history[id] !== 'done') this.history[id] = 'in-progress';
    this.options.log.add({ level: 'info', kind: 'run', message: `Lab started: ${loaded.lab.title}` });
    this.save();
    this.options.onProgress?.();
  }

  leave(): void {
    this.pauseScenario();
    this.active = undefined;
    this.save();
    this.options.onProgress?.();
  }

  /** The learner's own topology, kept when a lab started, while it has not been restored or discarded. */
  kept(): { name: string; nodes: number } | null {
    const topology = this.readKept();
    return topology ? { name: topology.name, nodes: topology.nodes.length } : null;
  }

  /** Puts the learner's own topology back (leaving the lab if one is open). */
  async restoreKept(): Promise<void> {
    const topology = this.readKept();
    if (!topology) throw new AppError(404, 'No topology of yours was kept: nothing to restore');
    if (this.active) this.leave();
    await replaceTopology(this.options, topology, 'stop');
    rmSync(this.keptPath, { force: true });
    this.options.onTopologyReplaced?.();
    this.options.log.add({ level: 'info', kind: 'edit', message: `Your topology "${topology.name}" is back` });
  }

  discardKept(): void {
    rmSync(this.keptPath, { force: true });
  }

  /** Called with every published snapshot. */
  evaluate(snapshot: Snapshot, now = Date.now()): void {
    const active = this.active;
    if (!active) return;
    const step = active.loaded.lab.steps[active.current];
    if (!step) return;
    const open = active.open;
    const topology = this.options.runtime.current;
    // A predict step waits for the learner's prediction (the scenario player does not predict).
    const watching = !step.predict || open.predicted !== undefined || this.scenarioStarted();
    if (watching) {
      open.snapshot = snapshot;
      open.measures = recordMeasures(step.measures ?? [], open.measures, snapshot, now, open.startedAt);
      // Once a node suffered it stays in the blast radius, with what it showed the last time it suffered.
      if (step.predict)
        for (const [node, reason] of suffering(snapshot, topology, step.predict)) open.suffered.set(node, reason);
    }
    // Checks may name the step's own measures: `measures.recoverySeconds`.
    const view = {
      ...snapshot,
      measures: measuredValues(step.measures ?? [], open.measures),
      learner: { journeysFollowed: active.journeys },
    };
    if (watching) open.check = advanceCheck(step.check, open.check, view, now);
    open.conditions = conditionsLive(step.check, open.check, view, now, topology);
    const minimumOver = now - open.startedAt >= this.minimumMs(step);
    if (open.passedAt === undefined && open.check.done && minimumOver) {
      open.passedAt = now;
      this.options.log.add({ level: 'info', kind: 'run', message: `Lab step done: ${step.title}` });
      this.save();
    }
    if (open.passedAt !== undefined && this.scenarioStarted()) this.continue(now);
  }

  /**
   * Predict, then observe: the learner's marked nodes for the current predict step. The step's check and
   * measures start now.
   */
  predict(nodes: string[], now = Date.now()): void {
    const active = this.requireActive();
    const step = active.loaded.lab.steps[active.current];
    if (!step?.predict) throw new AppError(409, 'The current step does not ask for a prediction');
    if (active.open.predicted) throw new AppError(409, "This step's prediction is already made");
    const known = new Set(this.options.runtime.current.nodes.map((n) => n.id));
    const unknown = nodes.find((n) => !known.has(n));
    if (unknown !== undefined) throw new AppError(400, `No node "${unknown}" in this lab's topology`, 'nodes');
    const cause = nodes.find((n) => step.predict?.cause.includes(n));
    if (cause !== undefined)
      throw new AppError(
        400,
        `"${cause}" is where the fault is applied, not a node that could suffer from it`,
        'nodes',
      );
    active.open = { ...openStep(now), predicted: [...new Set(nodes)] };
    this.options.onProgress?.();
  }

  /** The learner has read the explanation: freeze it and start the next step. */
  continue(now = Date.now()): FinishedStep & { snapshot?: Snapshot } {
    const active = this.requireActive();
    const step = active.loaded.lab.steps[active.current];
    if (!step) throw new AppError(409, 'The lab is complete: there is no step to continue from');
    const open = active.open;
    if (step.predict && !open.predicted && !this.scenarioStarted())
      throw new AppError(409, `Step "${step.title}" waits for your prediction: mark the nodes you expect to suffer`);
    if (open.passedAt === undefined) {
      const waiting = open.conditions.find((c) => !c.met);
      const why = waiting ? `: ${waiting.label} is ${waiting.value}, needs ${waiting.target}` : '';
      const early = this.minimumMs(step) - (now - open.startedAt);
      throw new AppError(
        409,
        `Step "${step.title}" is not done yet${open.check.done && early > 0 ? `: watch it ${Math.ceil(early / 1000)} s more` : why}`,
      );
    }
    const finished: FinishedStep = {
      startedAt: open.startedAt,
      at: open.passedAt,
      explanation: this.explanation(step, open),
      values: measuredValues(step.measures ?? [], open.measures),
      ...(step.predict ? { prediction: this.predictionOf(step, open) } : {}),
    };
    active.done.set(step.id, finished);
    active.current++;
    active.open = openStep(now);
    active.journeys = 0;
    if (active.current >= active.loaded.lab.steps.length) this.history[active.loaded.lab.id] = 'done';
    this.save();
    this.options.onProgress?.();
    return { ...finished, snapshot: open.snapshot };
  }

  progress(): LabProgress | undefined {
    const active = this.active;
    if (!active) return undefined;
    const { lab } = active.loaded;
    const open = active.open;
    const step = lab.steps[active.current];
    return {
      labId: lab.id,
      title: lab.title,
      current: active.current,
      steps: lab.steps.map((s, index) => {
        const finished = active.done.get(s.id);
        if (index < active.current && finished)
          return { id: s.id, title: s.title, done: true, doneAt: finished.at, ...finished };
        const passed = index === active.current && open.passedAt !== undefined;
        return {
          id: s.id,
          title: s.title,
          done: passed,
          ...(passed
            ? {
                doneAt: open.passedAt,
                explanation: this.explanation(s, open),
                values: measuredValues(s.measures ?? [], open.measures),
              }
            : {}),
        };
      }),
      ...(step
        ? {
            step: {
              startedAt: open.startedAt,
              minSeconds: this.minimumMs(step) / 1000,
              ...(open.passedAt !== undefined ? { passedAt: open.passedAt } : {}),
              conditions: open.conditions,
              values: measuredValues(step.measures ?? [], open.measures),
              ...(step.predict ? { prediction: this.predictionOf(step, open) } : {}),
            },
          }
        : {}),
      scenario: {
        playing: this.scenario.playing,
        elapsedMs: Math.round(this.scenario.elapsedMs),
        fired: this.scenario.fired,
        total: lab.scenario?.length ?? 0,
      },
    };
  }

  private explanation(step: LabStep, open: OpenStep): string {
    return fillExplanation(step.explain, step.measures ?? [], open.measures);
  }

  private predictionOf(step: LabStep, open: OpenStep): PredictionLive {
    return {
      cause: step.predict?.cause ?? [],
      ...(open.predicted ? { predicted: open.predicted } : {}),
      suffered: [...open.suffered.keys()],
      reasons: Object.fromEntries(open.suffered),
    };
  }

  private minimumMs(step: LabStep): number {
    return (step.minSeconds ?? 0) * 1000 * (this.options.minSecondsScale ?? 1);
  }

  private requireActive(): Active {
    if (!this.active) throw new AppError(409, 'No lab is open: start one from the lab list');
    return this.active;
  }

  private scenarioStarted(): boolean {
    return this.scenario.playing || this.scenario.fired > 0;
  }

  /** The learner opened an event's journey (a lab step may ask for it). */
  noteJourney(): void {
    if (this.active) this.active.journeys++;
  }

  /**
   * Runs one of the lab's commands: a step's button, a scenario event, a solution line. Following an event
   * answers with the trace id it opened.
   */
  async execute(command: Command, loaded = this.active?.loaded): Promise<{ traceId?: string }> {
    const { runtime } = this.options;
    if ('follow' in command) {
      const traceId = runtime.traces.latestOn(command.follow.topic);
      if (!traceId)
        throw new AppError(409, `No event has been read from "${command.follow.topic}" yet: run the topology first`);
      this.noteJourney();
      return { traceId };
    }
    if ('run' in command) await runtime.run();
    else if ('stop' in command) await runtime.stop();
    else if ('rate' in command) await runtime.setRate(command.rate.node, command.rate.perSecond);
    else if ('action' in command) {
      const { node, ...request } = command.action;
      await runtime.action(node, request);
    } else if ('redrive' in command) await runtime.redrive(command.redrive.topic);
    else {
      const topology: Topology | undefined = loaded?.topologies.get(command.topology);
      if (!topology) throw new AppError(404, `No topology file "${command.topology}" in this lab`, 'topology');
      await replaceTopology(this.options, topology);
      this.options.onTopologyReplaced?.();
    }
    return {};
  }

  playScenario(): void {
    const events = this.active?.loaded.lab.scenario ?? [];
    if (!this.active || events.length === 0) throw new AppError(409, 'This lab has no scenario to play');
    if (this.scenario.playing) return;
    this.scenario.playing = true;
    this.scenario.lastTick = Date.now();
    this.scenarioTimer = setInterval(() => void this.tickScenario(), 100);
    this.options.onProgress?.();
  }

  pauseScenario(): void {
    this.scenario.playing = false;
    clearInterval(this.scenarioTimer);
    this.options.onProgress?.();
  }

  restartScenario(): void {
    this.pauseScenario();
    this.scenario = { playing: false, elapsedMs: 0, fired: 0, lastTick: 0 };
    this.options.onProgress?.();
  }

  close(): void {
    this.pauseScenario();
  }

  private async tickScenario() {
    const active = this.active;
    if (!active || !this.scenario.playing) return;
    const now = Date.now();
    this.scenario.elapsedMs += now - this.scenario.lastTick;
    this.scenario.lastTick = now;
    const events = active.loaded.lab.scenario ?? [];
    while (
      this.scenario.fired < events.length &&
      parseDuration(events[this.scenario.fired]!.at) <= this.scenario.elapsedMs
    ) {
      const event = events[this.scenario.fired++]!;
      this.options.log.add({ level: 'info', kind: 'run', message: `Scenario at ${event.at}: ${event.label}` });
      await this.execute(event.command).catch((err) =>
        this.options.log.add({
          level: 'warn',
          kind: 'error',
          message: `Scenario "${event.label}" failed: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
    }
    if (this.scenario.fired >= events.length) this.pauseScenario();
  }

  private readKept(): Topology | undefined {
    if (!existsSync(this.keptPath)) return undefined;
    try {
      const result = validateTopology(JSON.parse(readFileSync(this.keptPath, 'utf8')));
      return result.ok ? result.topology : undefined;
    } catch {
      return undefined;
    }
  }

  private save() {
    const active = this.active;
    const data = {
      history: this.history,
      ...(active
        ? {
            labId: active.loaded.lab.id,
            current: active.current,
            done: Object.fromEntries(active.done),
            startedAt: active.open.startedAt,
          }
        : {}),
    };
    writeAtomically(this.progressPath, JSON.stringify(data));
  }

  private restore() {
    if (!existsSync(this.progressPath)) return;
    try {
      const data = JSON.parse(readFileSync(this.progressPath, 'utf8')) as {
        history?: Record<string, LabStatus>;
        labId?: string;
        current?: number;
        startedAt?: number;
        done?: Record<string, FinishedStep>;
      };
      for (const [id, status] of Object.entries(data.history ?? {}))
        if (status === 'done' || status === 'in-progress') this.history[id] = status;
      const loaded = this.options.labs.find((l) => l.lab.id === data.labId);
      if (!loaded) return;
      this.active = {
        loaded,
        current: Math.min(data.current ?? 0, loaded.lab.steps.length),
        // The open step's numbers are not saved: after a restart it is watched again from now.
        open: openStep(Date.now()),
        done: new Map(Object.entries(data.done ?? {})),
        journeys: 0,
      };
    } catch {
      // Progress is a convenience: a damaged file means starting the lab again, not a server that will not start.
    }
  }
}

function writeAtomically(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
