import { useEffect, useState } from 'react';
import { inWorkspace } from '../api/base';
import { Icon } from '../icons/Icon';
import { useLab } from '../store';
import { liveHistory } from './history';
import { clockOf, type Marker, markersOf } from './markers';
import { currentPlayer } from './player';
import { SPEEDS } from './slice';
import { momentLink } from './source';
import './timeline.css';

/** Under the canvas: rewind the live run, or play a recording. Hidden until there is a run to move through. */
export function Timeline() {
  const mode = useLab((s) => s.timeMode);
  const error = useLab((s) => s.replayError);
  if (error) {
    return (
      <div className="timeline replay" role="alert">
        <span className="timeline-badge">Replay</span>
        <span className="timeline-error">{error}</span>
      </div>
    );
  }
  return mode === 'replay' ? <ReplayBar /> : <RewindBar />;
}

/** A replay's controls: play, pause, speed, seek, and a link to the moment shown. */
function ReplayBar() {
  const info = useLab((s) => s.replay);
  const cursorAt = useLab((s) => s.cursorAt);
  const log = useLab((s) => s.log);
  const lab = useLab((s) => s.snapshot?.lab);
  const player = currentPlayer();
  if (!info || !player) return <div className="timeline replay">Loading the recording…</div>;
  const end = info.startedAt + info.durationMs;
  return (
    <section className="timeline replay" aria-label="Replay controls">
      <span className="timeline-badge" title="A recorded run: nothing here can be edited, run or broken">
        Replay
      </span>
      <span className="timeline-name" title={info.name}>
        {info.name}
      </span>
      <button
        type="button"
        className="button small"
        aria-label={info.playing ? 'Pause' : 'Play'}
        onClick={() => (info.playing ? player.pause() : player.play())}
      >
        <Icon name={info.playing ? 'pause' : 'play'} />
      </button>
      <label className="timeline-speed">
        <span className="visually-hidden">Speed</span>
        <select value={info.speed} aria-label="Speed" onChange={(e) => player.setSpeed(Number(e.currentTarget.value))}>
          {SPEEDS.map((speed) => (
            <option key={speed} value={speed}>
              {speed}×
            </option>
          ))}
        </select>
      </label>
      <Scrubber
        label="Position in the recording"
        from={info.startedAt}
        to={end}
        value={cursorAt}
        markers={markersOf(log, lab, info.startedAt, end)}
        onSeek={(at) => player.seek(at - info.startedAt)}
      />
      <span className="timeline-time" aria-live="off">
        {clockOf(cursorAt - info.startedAt)} / {clockOf(info.durationMs)}
      </span>
      <CopyMoment id={info.id} seconds={(cursorAt - info.startedAt) / 1000} />
      {info.id && (
        <a
          className="button small"
          href={inWorkspace(`/api/recordings/${info.id}/replay.html`)}
          download
          title="One HTML file that plays this recording anywhere, with no server and no Kafka"
        >
          Download
        </a>
      )}
    </section>
  );
}

/** While a run is on (or after it): scrub back through the last minutes the browser saw, then back to live. */
function RewindBar() {
  const mode = useLab((s) => s.timeMode);
  const cursorAt = useLab((s) => s.cursorAt);
  const startedAt = useLab((s) => s.snapshot?.startedAt);
  const log = useLab((s) => s.log);
  const [, redraw] = useState(0);
  useEffect(() => liveHistory.onChange(() => redraw((n) => n + 1)), []);
  const first = liveHistory.first;
  const latest = liveHistory.latest;
  // Shown once a run has been seen (and kept after it stops: the moments before the stop stay reachable).
  if (first === undefined || !latest || latest.t - first < 2_000 || !liveHistory.hasRun) return null;
  const rewound = mode === 'rewind';
  const lab = latest.snapshot.lab;
  const seek = (at: number) => {
    const store = useLab.getState();
    if (at >= latest.t - 250) return backToLive();
    store.setCursor('rewind', at);
    const state = liveHistory.at(at);
    if (state) store.applySnapshot(state);
  };
  const runStart = latest.snapshot.startedAt ?? startedAt ?? first;
  return (
    <section className={`timeline ${rewound ? 'rewound' : 'live'}`} aria-label="Rewind">
      <span
        className="timeline-badge"
        title={rewound ? 'The canvas shows a moment of this run; it goes on meanwhile' : 'Showing the run as it is'}
      >
        {rewound ? 'Rewound' : 'Live'}
      </span>
      <Scrubber
        label="Rewind the run"
        from={first}
        to={latest.t}
        value={rewound ? cursorAt : latest.t}
        markers={markersOf(log, lab, first, latest.t)}
        onSeek={seek}
      />
      <span className="timeline-time">
        {rewound
          ? `t+${clockOf(cursorAt - runStart)} · ${clockOf(latest.t - cursorAt)} ago`
          : `t+${clockOf(latest.t - runStart)}`}
      </span>
      {rewound && (
        <button type="button" className="button small primary" onClick={backToLive}>
          Back to live
        </button>
      )}
    </section>
  );
}

function backToLive() {
  const store = useLab.getState();
  store.setCursor('live', 0);
  const latest = liveHistory.latest;
  if (latest) store.applySnapshot(latest.snapshot);
}

/** A range input with the run's markers drawn over its track (each marker also seeks to its moment). */
function Scrubber(props: {
  label: string;
  from: number;
  to: number;
  value: number;
  markers: Marker[];
  onSeek: (at: number) => void;
}) {
  const { from, to, value, markers, onSeek } = props;
  const span = Math.max(1, to - from);
  return (
    <div className="timeline-scrubber">
      <input
        type="range"
        aria-label={props.label}
        min={from}
        max={to}
        step={100}
        value={Math.min(Math.max(value, from), to)}
        aria-valuetext={`${clockOf(value - from)} of ${clockOf(span)}`}
        onChange={(e) => onSeek(Number(e.currentTarget.value))}
      />
      <div className="timeline-markers">
        {markers.map((marker) => (
          <button
            key={`${marker.at}-${marker.label}`}
            type="button"
            className={`timeline-marker ${marker.kind}`}
            style={{ left: `${((marker.at - from) / span) * 100}%` }}
            title={marker.label}
            aria-label={`Go to: ${marker.label}`}
            onClick={() => onSeek(marker.at)}
          />
        ))}
      </div>
    </div>
  );
}

/** Copies a link that opens this recording at the moment shown (an exported page: itself at that moment). */
function CopyMoment({ id, seconds }: { id: string | undefined; seconds: number }) {
  const notify = useLab((s) => s.notify);
  return (
    <button
      type="button"
      className="button small"
      title="Copy a link that opens this recording at this moment"
      onClick={() => {
        const link = momentLink(id, seconds);
        navigator.clipboard?.writeText(link).then(
          () => notify('Link to this moment copied'),
          () => notify(`Link to this moment: ${link}`),
        );
        history.replaceState(null, '', link);
      }}
    >
      Share moment
    </button>
  );
}
