import { type ApiErrorBody, indexAt, parseRecording, type Replay } from '@lab/model';
import { inWorkspace } from '../api/base';
import { useLab } from '../store';
import { TREND_EVERY_MS, type TrendSample, trendOf } from '../store/trend';
import type { ReplaySource } from './source';

/**
 * Plays a recording into the store, in place of the live feed: the canvas, dock and guide show the recorded
 * moment. Time advances with the page's animation frames times the speed; seeking shows the state recorded
 * at that moment (each state is already whole, so a seek costs one lookup).
 */
export class Player {
  private t = 0;
  private frameIndex = -1;
  private topologyIndex = -1;
  private raf = 0;
  private lastTick = 0;
  /** For the frame rate a replay reaches: distinct recorded states shown, and the seconds spent playing. */
  readonly stats = { framesShown: 0, playingMs: 0 };

  constructor(
    readonly replay: Replay,
    readonly id: string | undefined,
  ) {}

  get durationMs(): number {
    return this.replay.durationMs;
  }

  /** Puts the recording's log and trend in the store and shows `atMs`. */
  start(atMs: number, play: boolean): void {
    const store = useLab.getState();
    store.setConnection('open');
    store.setServerVersion(this.replay.header.serverVersion);
    store.resetLog();
    store.appendLog(this.replay.log.map((l) => l.entry));
    // The document is the recording's: whatever control is left (an inspector field, a shortcut) edits nothing.
    useLab.setState({
      trend: trendOfReplay(this.replay),
      trendRun: undefined,
      edit: () => {},
      undo: () => {},
      redo: () => {},
    });
    store.setReplay({
      id: this.id,
      name: this.replay.header.name,
      startedAt: this.replay.header.startedAt,
      durationMs: this.replay.durationMs,
      playing: false,
      speed: 1,
    });
    this.seek(atMs);
    if (play) this.play();
  }

  seek(ms: number): void {
    this.t = Math.min(Math.max(0, ms), this.replay.durationMs);
    this.show();
  }

  play(): void {
    const info = useLab.getState().replay;
    if (!info || info.playing) return;
    // Play at the end starts over, as a video player does.
    if (this.t >= this.replay.durationMs) this.seek(0);
    useLab.getState().setReplay({ ...info, playing: true });
    this.lastTick = performance.now();
    this.raf = requestAnimationFrame(this.tick);
  }

  pause(): void {
    cancelAnimationFrame(this.raf);
    const info = useLab.getState().replay;
    if (info?.playing) useLab.getState().setReplay({ ...info, playing: false });
  }

  setSpeed(speed: number): void {
    const info = useLab.getState().replay;
    if (info) useLab.getState().setReplay({ ...info, speed });
  }

  private readonly tick = (now: number) => {
    const info = useLab.getState().replay;
    if (!info?.playing) return;
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    this.stats.playingMs += elapsed;
    this.seek(this.t + elapsed * info.speed);
    if (this.t >= this.replay.durationMs) this.pause();
    else this.raf = requestAnimationFrame(this.tick);
  };

  private show() {
    const store = useLab.getState();
    const { frames, topologies, header } = this.replay;
    const frame = indexAt(frames, this.t);
    if (frame !== this.frameIndex) {
      this.frameIndex = frame;
      this.stats.framesShown++;
      store.applySnapshot(frames[frame]!.snapshot);
    }
    const topology = topologies.length ? indexAt(topologies, this.t) : -1;
    if (topology !== this.topologyIndex && topology >= 0) {
      const first = this.topologyIndex < 0;
      this.topologyIndex = topology;
      store.loadSaved(topologies[topology]!.topology);
      if (first) store.requestFit();
    }
    store.setCursor('replay', header.startedAt + this.t);
  }
}

/** The charts' samples over the whole recording, one a second as live, at recorded times. */
function trendOfReplay(replay: Replay): TrendSample[] {
  const samples: TrendSample[] = [];
  for (const { t, snapshot } of replay.frames) {
    const at = replay.header.startedAt + t;
    if (!snapshot.running || (samples.length && at - samples.at(-1)!.at < TREND_EVERY_MS)) continue;
    samples.push({ at, nodes: trendOf(snapshot) });
  }
  return samples;
}

let current: Player | undefined;

/** The replay on this page, if it is one. */
export function currentPlayer(): Player | undefined {
  return current;
}

/** Opens the replay the page was asked for; a recording that cannot be read says why in place of the timeline. */
export async function openReplay(source: ReplaySource): Promise<void> {
  const store = useLab.getState();
  store.setCursor('replay', 0);
  try {
    let text: string;
    if ('text' in source) text = source.text;
    else {
      const response = await fetch(inWorkspace(`/api/recordings/${encodeURIComponent(source.id)}`));
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as Partial<ApiErrorBody>;
        throw new Error(body.error ?? `The recording could not be loaded (HTTP ${response.status})`);
      }
      text = await response.text();
    }
    current = new Player(parseRecording(text), 'id' in source ? source.id : undefined);
    // A shared moment opens paused there; a plain replay plays from the start.
    current.start((source.atSeconds ?? 0) * 1000, source.atSeconds === undefined);
    // The handle tests and the curious use to read the replay's frame rate.
    (globalThis as Record<string, unknown>).labReplay = current;
  } catch (error) {
    store.setReplayError(
      error instanceof TypeError ? 'The lab server cannot be reached to load the recording' : (error as Error).message,
    );
  }
}
