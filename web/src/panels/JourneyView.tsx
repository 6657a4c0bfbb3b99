import { type Journey, type JourneyHop, orderedHops, own, type SegmentKind, segmentsOf } from '@lab/model';
import { useEffect, useMemo, useState } from 'react';
import { journey as fetchJourney } from '../api/lab';
import { Icon } from '../icons/Icon';
import { useLab } from '../store';
import { useNodeLabels, useSetJourneyPath } from '../store/selectors';

const SEGMENT_WORDS: Record<SegmentKind, string> = {
  kafka: 'waiting in Kafka',
  queued: 'waiting for a free worker',
  processing: 'processing',
  outputs: 'waiting on its outputs',
};
/**
 * Later hops can still happen after the first look (and a just-made event may not be reported yet): the
 * journey is fetched again for a few seconds.
 */
const REFRESHES = 5;

/**
 * One event's journey, found by its trace id: each hop (the topic record it was read from, the service that
 * handled it) as a row of a waterfall: waiting in Kafka, waiting for a worker, processing, waiting on REST
 * calls or Kafka's acknowledgement. Its path is highlighted on the canvas while it is shown.
 */
export function JourneyView({ traceId }: { traceId: string }) {
  const [found, setFound] = useState<Journey>();
  const [error, setError] = useState<string>();
  const labels = useNodeLabels();
  const setPath = useSetJourneyPath();
  useEffect(() => {
    let refreshes = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = () => {
      if (++refreshes < REFRESHES) timer = setTimeout(load, 1_000);
      return refreshes < REFRESHES;
    };
    const load = () =>
      fetchJourney(traceId).then(
        (j) => {
          setFound(j);
          setError(undefined);
          again();
        },
        (e: Error) => {
          if (!again()) setError(e.message);
        },
      );
    setFound(undefined);
    setError(undefined);
    void load();
    return () => clearTimeout(timer);
  }, [traceId]);
  const hops = useMemo(() => (found ? orderedHops(found) : []), [found]);
  useEffect(() => {
    if (!found) return;
    setPath(pathOf(found));
    return () => setPath(undefined);
  }, [found, setPath]);

  if (error)
    return (
      <p className="field-problem" role="alert">
        <Icon name="warning" /> {error}
      </p>
    );
  if (!found) return <p className="dock-empty">Finding the event…</p>;
  const end = Math.max(1, ...hops.map((h) => h.finishedAt - found.originTime));
  const name = (id: string) => own(labels, id) ?? id;
  return (
    <div className="journey" data-testid="journey">
      <p className="journey-head">
        Made by <strong>{name(found.origin)}</strong>, {hops.length} hop{hops.length === 1 ? '' : 's'}, the last one
        done <strong>{Math.round(end)} ms</strong> after the event was made.
      </p>
      <ol className="journey-rows">
        {hops.map((hop) => (
          <HopRow
            key={`${hop.eventId}-${hop.instance}-${hop.receivedAt}`}
            hop={hop}
            journey={found}
            end={end}
            name={name}
          />
        ))}
      </ol>
      <p className="journey-legend">
        {(Object.keys(SEGMENT_WORDS) as SegmentKind[]).map((kind) => (
          <span key={kind}>
            <span className={`journey-swatch ${kind}`} aria-hidden="true" /> {SEGMENT_WORDS[kind]}
          </span>
        ))}
      </p>
    </div>
  );
}

function HopRow({
  hop,
  journey,
  end,
  name,
}: {
  hop: JourneyHop;
  journey: Journey;
  end: number;
  name: (id: string) => string;
}) {
  const segments = segmentsOf(hop, journey.originTime);
  const via =
    'topic' in hop.input
      ? `${name(hop.input.topic)} · partition ${hop.input.partition} · offset ${hop.input.offset}`
      : 'a REST call';
  const describe = segments
    .filter((s) => s.toMs > s.fromMs)
    .map((s) => `${SEGMENT_WORDS[s.kind]} ${Math.round(s.toMs - s.fromMs)} ms`)
    .join(', ');
  return (
    <li className="journey-row" data-testid="journey-hop">
      <div className="journey-what">
        <strong>{name(hop.service)}</strong> <span className="muted">({hop.instance})</span>
        {!hop.ok && (
          <>
            {' '}
            <Icon name="error" /> failed
          </>
        )}
        <div className="journey-via">
          from {via} · {describe}
        </div>
      </div>
      <div className="journey-bars" role="img" aria-label={describe}>
        {segments.map((s) => (
          <span
            key={s.kind}
            className={`journey-bar ${s.kind}`}
            style={{ left: `${(s.fromMs / end) * 100}%`, width: `max(2px, ${((s.toMs - s.fromMs) / end) * 100}%)` }}
            title={`${SEGMENT_WORDS[s.kind]}: ${Math.round(s.toMs - s.fromMs)} ms`}
          />
        ))}
      </div>
    </li>
  );
}

/** The nodes and links the event went through, to highlight on the canvas. */
function pathOf(journey: Journey) {
  const nodes = new Set([journey.origin]);
  for (const hop of journey.hops) {
    nodes.add(hop.service);
    if ('topic' in hop.input) nodes.add(hop.input.topic);
  }
  const links = useLab
    .getState()
    .doc.links.filter((l) => nodes.has(l.from) && nodes.has(l.to))
    .map((l) => l.id);
  return { nodes: [...nodes], links };
}
