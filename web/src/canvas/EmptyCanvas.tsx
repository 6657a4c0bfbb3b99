import { useEditor, useGuide, useIsEmpty, usePresenter, useRequestFit } from '../store/selectors';
import { EXAMPLE_TOPOLOGY } from '../topology/example';

/** First run: an empty canvas offers the example and says where to go next. */
export function EmptyCanvas() {
  const empty = useIsEmpty();
  const { edit } = useEditor();
  const { presenter } = usePresenter();
  const guide = useGuide();
  const requestFit = useRequestFit();
  if (!empty) return null;
  return (
    <div className="canvas-empty">
      <h2>Your topology goes here</h2>
      <p>Sources, services and topics drawn here run on a real Kafka broker.</p>
      {!presenter && (
        <>
          <p>Drag a Source, Service or Topic from the palette — or start from a working example:</p>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              edit(() => EXAMPLE_TOPOLOGY);
              requestFit();
            }}
          >
            Load the example topology
          </button>
          <p className="canvas-empty-labs">
            Or follow a guided lab: each turns one claim about event-driven design into an experiment you measure.
          </p>
          <button type="button" className="button" onClick={() => guide.setOpen(true)}>
            Open the guided labs
          </button>
        </>
      )}
    </div>
  );
}
