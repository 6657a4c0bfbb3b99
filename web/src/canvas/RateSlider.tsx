import { memo, useEffect, useRef, useState } from 'react';
import { setSourceRate } from '../api/lab';
import { useEditor, useNotify, useRunning } from '../store/selectors';
import { updateNode } from '../topology/edits';
import { rateToSlider, SLIDER_STEPS, sliderToRate } from './rate';

/** Waits for the hand to rest before telling the server, so a drag is one request, not fifty. */
const SEND_DELAY_MS = 250;

/**
 * While running, the slider changes the live rate (POST /rate: a spike for an experiment, not a change to
 * the saved design); while stopped it edits the source's rate in the document.
 */
export const RateSlider = memo(function RateSlider({
  id,
  label,
  planned,
  live,
}: {
  id: string;
  label: string;
  planned: number;
  live?: number;
}) {
  const running = useRunning();
  const { edit } = useEditor();
  const notify = useNotify();
  const shown = running ? (live ?? planned) : planned;
  const [dragging, setDragging] = useState<number | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const rate = dragging ?? shown;
  const change = (position: number) => {
    const next = sliderToRate(position);
    setDragging(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setDragging(undefined);
      if (running) {
        setSourceRate(id, next).catch((error: Error) => notify(`Rate of ${label}: ${error.message}`, 'error'));
      } else {
        edit((doc) => updateNode(doc, id, { ratePerSec: next }), { coalesce: `rate-${id}` });
      }
    }, SEND_DELAY_MS);
  };
  return (
    <div className="rate-row">
      <input
        className="rate-slider nodrag nopan"
        type="range"
        min={0}
        max={SLIDER_STEPS}
        value={rateToSlider(rate)}
        aria-label={`Rate of ${label}`}
        aria-valuetext={`${rate} ev/s`}
        onChange={(e) => change(Number(e.target.value))}
      />
      <output className="rate-value">{rate} ev/s</output>
    </div>
  );
});
