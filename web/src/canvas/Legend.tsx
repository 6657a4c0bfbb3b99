/** What the canvas's lines mean, drawn with the same strokes the links use. */
export function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      <li title="A REST call: the caller waits for the answer, so a failure travels back to it">
        <svg width="28" height="8" aria-hidden="true">
          <path d="M1 4H21" className="legend-line" />
          <path d="M21 0.5L27 4L21 7.5z" className="legend-head" />
        </svg>
        REST call (caller waits)
      </li>
      <li title="Produce or consume: through Kafka, nobody waits; a consumer's lag buffers a failure">
        <svg width="28" height="8" aria-hidden="true">
          <path d="M1 4H27" className="legend-line dashed" />
        </svg>
        through Kafka (nobody waits)
      </li>
    </ul>
  );
}
