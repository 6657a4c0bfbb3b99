import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  advanceCheck,
  type CheckState,
  type Command,
  fillExplanation,
  initialCheckState,
  type LabProgress,
  type MeasureState,
  parseDuration,
  recordMeasures,
  type Snapshot,
  type Topology,
} from '@lab/model';
import { RuntimeError } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import type { EventLog } from '../telemetry/log.js';
import type { TopologyStore } from '../topology-store.js';
import type { LoadedLab } from './loader.js';

interface Active {
  loaded: LoadedLab;
  current: number;
  check: CheckState;
  measures: MeasureState;
  done: Map<string, { at: number; explanation: string }>;
}

interface Scenario {
  playing: boolean;
  elapsedMs: number;
  fired: number;
  lastTick: number;
}

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
}

/**
 * Runs the active lab: checks the current step against every live snapshot, records its measures, fills the
 * closing explanation with the learner's numbers, and moves on. Progress is saved so a reload (or a restart
 * of the server) resumes where the learner was. Also plays an instructor's scenario timeline.
 */
export class LabEngine {
  private active: Active | undefined;
  private scenario: Scenario = { playing: false, elapsedMs: 0, fired: 0, lastTick: 0 };
  private scenarioTimer: NodeJS.Timeout | undefined;
  private readonly progressPath: string;

  constructor(private readonly options: LabEngineOptions) {
    this.progressPath = join(options.dataDir, 'lab-progress.json');
    this.restore();
  }

  list() {
    return this.options.labs.map(({ lab }) => ({
      id: lab.id,
      title: lab.title,
      claim: lab.claim,
      minutes: lab.minutes,
      steps: lab.steps.length,
    }));
  }

  find(id: string): LoadedLab {
    const loaded = this.options.labs.find((l) => l.lab.id === id);
    if (!loaded)
      throw new RuntimeError(404, `No lab "${id}" (labs: ${this.options.labs.map((l) => l.lab.id).join(', ')})`, 'id');
    return loaded;
  }

  /** Starts (or restarts) a lab from its starting topology, in one step. */
  async start(id: string): Promise<void> {
    const loaded = this.find(id);
    const topology = loaded.topologies.get(loaded.lab.topology)!;
    this.pauseScenario();
    this.scenario = { playing: false, elapsedMs: 0, fired: 0, lastTick: 0 };
    if (this.options.runtime.isRunning) await this.options.runtime.stop();
    await this.options.runtime.reset();
    await this.options.runtime.replace(topology, (t) => this.options.store.save(t));
    this.options.onTopologyReplaced?.();
    this.active = { loaded, current: 0, check: initialCheckState(), measures: {}, done: new Map() };
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

  /** Called with every published snapshot. */
  evaluate(snapshot: Snapshot, now = Date.now()): void {
    const active = this.active;
    if (!active) return;
    const step = active.loaded.lab.steps[active.current];
    if (!step) return;
    active.measures = recordMeasures(step.measures ?? [], active.measures, snapshot);
    active.check = advanceCheck(step.check, active.check, snapshot, now);
    if (!active.check.done) return;
    const explanation = fillExplanation(step.explain, step.measures ?? [], active.measures);
    active.done.set(step.id, { at: now, explanation });
    this.options.log.add({ level: 'info', kind: 'run', message: `Lab step done: ${step.title}` });
    active.current++;
    active.check = initialCheckState();
    active.measures = {};
    this.save();
  }

  progress(): LabProgress | undefined {
    const active = this.active;
    if (!active) return undefined;
    const { lab } = active.loaded;
    return {
      labId: lab.id,
      title: lab.title,
      current: active.current,
      steps: lab.steps.map((s) => {
        const done = active.done.get(s.id);
        return {
          id: s.id,
          title: s.title,
          done: Boolean(done),
          ...(done ? { doneAt: done.at, explanation: done.explanation } : {}),
        };
      }),
      scenario: {
        playing: this.scenario.playing,
        elapsedMs: Math.round(this.scenario.elapsedMs),
        fired: this.scenario.fired,
        total: lab.scenario?.length ?? 0,
      },
    };
  }

  /** Runs one of the lab's commands: a step's button, a scenario event, a solution line. */
  async execute(command: Command, loaded = this.active?.loaded): Promise<void> {
    const { runtime } = this.options;
    if ('run' in command) return runtime.run();
    if ('stop' in command) return runtime.stop();
    if ('rate' in command) return runtime.setRate(command.rate.node, command.rate.perSecond);
    if ('action' in command) {
      const { node, ...request } = command.action;
      await runtime.action(node, request);
      return;
    }
    const topology: Topology | undefined = loaded?.topologies.get(command.topology);
    if (!topology) throw new RuntimeError(404, `No topology file "${command.topology}" in this lab`, 'topology');
    await runtime.replace(topology, (t) => this.options.store.save(t));
    this.options.onTopologyReplaced?.();
  }

  playScenario(): void {
    const events = this.active?.loaded.lab.scenario ?? [];
    if (!this.active || events.length === 0) throw new RuntimeError(409, 'This lab has no scenario to play');
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

  private save() {
    const data = this.active
      ? { labId: this.active.loaded.lab.id, current: this.active.current, done: Object.fromEntries(this.active.done) }
      : {};
    mkdirSync(this.options.dataDir, { recursive: true });
    const temporary = `${this.progressPath}.tmp`;
    writeFileSync(temporary, JSON.stringify(data));
    renameSync(temporary, this.progressPath);
  }

  private restore() {
    if (!existsSync(this.progressPath)) return;
    try {
      const data = JSON.parse(readFileSync(this.progressPath, 'utf8')) as {
        labId?: string;
        current?: number;
        done?: Record<string, { at: number; explanation: string }>;
      };
      const loaded = this.options.labs.find((l) => l.lab.id === data.labId);
      if (!loaded) return;
      this.active = {
        loaded,
        current: Math.min(data.current ?? 0, loaded.lab.steps.length),
        check: initialCheckState(),
        measures: {},
        done: new Map(Object.entries(data.done ?? {})),
      };
    } catch {
      // Progress is a convenience: a damaged file means starting the lab again, not a server that will not start.
    }
  }
}
