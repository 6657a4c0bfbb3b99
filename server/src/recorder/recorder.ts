import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import {
  type LogEntry,
  mergePatch,
  RECORDING_FORMAT,
  type RecordingHeader,
  type RecordingInfo,
  type RecordingLine,
  type Snapshot,
  type TopologyDocument,
} from '@lab/model';
import type { LiveState } from '../live/state.js';
import type { EventLog } from '../telemetry/log.js';
import type { RecordingStore } from './store.js';

export interface RecorderOptions {
  store: RecordingStore;
  live: LiveState;
  log: EventLog;
  /** The topology as it runs now (a new object whenever it changes). */
  topology: () => TopologyDocument;
  serverVersion: string;
  /** A lab's definition as the guide reads it (GET /api/labs/:id), recorded when the run's lab changes. */
  labDefinition?: (id: string) => ({ id: string } & Record<string, unknown>) | undefined;
  /** How often the live state is sampled: the browser's frame rate. */
  sampleMs?: number;
  /** A whole snapshot this often, so a player can seek without replaying from the start. */
  keyframeMs?: number;
  /** A recording stops growing at this size (the run goes on); the list marks it truncated. */
  maxBytes?: number;
}

/** Trace ids kept per link and frame: enough for the moving dots (10 frames a second), a third of the size. */
export const RECORDED_SAMPLES = 2;

/** At the lab's frame rate a minute of a lab's topology is a few hundred kB (measured, see docs). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

interface Current {
  info: RecordingInfo;
  file: WriteStream;
  state: Snapshot;
  topology: TopologyDocument;
  labId: string | undefined;
  lastKeyframe: number;
  /** The size bound was reached: nothing more is written until the run ends. */
  full: boolean;
}

/**
 * The flight recorder: every run, from Run to Stop, is written as it happens (see RecordingLine): the live
 * state sampled at frame rate as merge patches with a keyframe now and then, the event log, and the topology
 * whenever it changes. The lab's progress (step starts, checks, predictions, explanations) and the trace ids
 * of sampled events ride in the snapshot, so they are recorded with it.
 */
export class Recorder {
  private current: Current | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onLog = (entry: LogEntry) => this.write({ t: 0, log: entry });
  private sampledRevision = -1;
  private finishing: Promise<void> = Promise.resolve();
  private readonly sampleMs: number;
  private readonly keyframeMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: RecorderOptions) {
    this.sampleMs = options.sampleMs ?? 100;
    this.keyframeMs = options.keyframeMs ?? 15_000;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
    options.log.on('entry', this.onLog);
  }

  /** The finished recordings and the one being written, newest first. */
  list(): RecordingInfo[] {
    const all = this.options.store.list();
    if (this.current) all.push({ ...this.current.info });
    return all.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** The id of the recording being written, if a run is on. */
  get liveId(): string | undefined {
    return this.current?.info.id;
  }

  /** Ends the current recording (the server is closing) and waits until it is on disk. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.options.log.off('entry', this.onLog);
    this.stop();
    await this.finishing;
  }

  /** Waits for recordings being compressed: tests read them right after a stop. */
  settled(): Promise<void> {
    return this.finishing;
  }

  private sample() {
    const { live } = this.options;
    if (live.revision === this.sampledRevision) return;
    this.sampledRevision = live.revision;
    const snapshot = fewerSamples(live.snapshot());
    if (!this.current) {
      if (snapshot.running) this.start(snapshot);
      return;
    }
    const now = Date.now();
    const topology = this.options.topology();
    if (topology !== this.current.topology) {
      this.current.topology = topology;
      this.write({ t: 0, topology });
    }
    this.recordLab(snapshot.lab?.labId);
    if (now - this.current.lastKeyframe >= this.keyframeMs) {
      this.current.lastKeyframe = now;
      this.write({ t: 0, k: snapshot });
    } else {
      const patch = mergePatch(this.current.state, snapshot);
      if (patch) this.write({ t: 0, p: patch });
    }
    this.current.state = snapshot;
    if (!snapshot.running) this.stop();
  }

  private start(snapshot: Snapshot) {
    const startedAt = Date.now();
    const id = `${new Date(startedAt).toISOString().replace(/[-:]|\.\d+/g, '')}-${randomBytes(3).toString('hex')}`;
    const topology = this.options.topology();
    const name = snapshot.lab?.title ?? topology.name;
    const info: RecordingInfo = {
      id,
      name,
      ...(snapshot.lab ? { labId: snapshot.lab.labId } : {}),
      startedAt,
      durationMs: 0,
      bytes: 0,
      live: true,
    };
    const file = createWriteStream(this.options.store.rawPath(id));
    // A full disk must not take the server down: the recording is then just cut short.
    file.on('error', () => {});
    this.current = { info, file, state: snapshot, topology, labId: undefined, lastKeyframe: startedAt, full: false };
    const header: RecordingHeader = {
      type: 'recording',
      format: RECORDING_FORMAT,
      id,
      startedAt,
      name,
      ...(info.labId ? { labId: info.labId } : {}),
      serverVersion: this.options.serverVersion,
    };
    this.append(JSON.stringify(header));
    this.write({ t: 0, topology });
    this.recordLab(snapshot.lab?.labId);
    this.write({ t: 0, k: snapshot });
  }

  private recordLab(labId: string | undefined) {
    if (!this.current || labId === this.current.labId) return;
    this.current.labId = labId;
    const definition = labId === undefined ? undefined : this.options.labDefinition?.(labId);
    if (definition) this.write({ t: 0, labDefinition: definition });
  }

  private stop() {
    const current = this.current;
    if (!current) return;
    this.write({ t: 0, end: true });
    this.current = undefined;
    const info: RecordingInfo = { ...current.info, live: false };
    const ended = new Promise<void>((resolve) => current.file.end(resolve));
    this.finishing = this.finishing
      .then(() => ended)
      .then(() => this.options.store.finish(info))
      .catch(() => {
        // Compressing failed (disk full, removed folder): the raw file stays and is recovered at next start.
      });
  }

  /** Writes one line at the current time (`t` is filled in); past the size bound, says so once and stops. */
  private write(line: RecordingLine) {
    const current = this.current;
    if (!current || current.full) return;
    const t = Date.now() - current.info.startedAt;
    const text = JSON.stringify({ ...line, t });
    if (current.info.bytes + text.length + 1 > this.maxBytes && !('end' in line)) {
      current.full = true;
      current.info.truncated = true;
      this.append(JSON.stringify({ t, truncated: `The recording reached its size limit (${this.maxBytes} bytes)` }));
      return;
    }
    current.info.durationMs = t;
    this.append(text);
  }

  private append(text: string) {
    const current = this.current!;
    current.file.write(`${text}\n`);
    current.info.bytes += Buffer.byteLength(text) + 1;
  }
}

/** The snapshot with each link's sampled trace ids cut to the newest RECORDED_SAMPLES (unchanged links shared). */
function fewerSamples(snapshot: Snapshot): Snapshot {
  const links: Snapshot['links'] = {};
  for (const [id, link] of Object.entries(snapshot.links)) {
    links[id] =
      link.samples.length > RECORDED_SAMPLES ? { ...link, samples: link.samples.slice(-RECORDED_SAMPLES) } : link;
  }
  return { ...snapshot, links };
}
