import { useJourneyPath, useLabProgress, usePrediction } from '../store/selectors';

const node = (id: string) => `.react-flow__node[data-id="${CSS.escape(id)}"]`;
const edge = (id: string) => `.react-flow__edge[data-id="${CSS.escape(id)}"]`;

/**
 * Marks drawn over the canvas without changing its nodes: the nodes the learner predicts will suffer (while
 * marking and until the step is continued), the nodes that did suffer, and one event's journey (its nodes
 * and links highlighted). A style sheet keyed by React Flow's data-id, so the node cards stay as they are.
 */
export function CanvasMarks() {
  const { predicting, marked } = usePrediction();
  const progress = useLabProgress();
  const journey = useJourneyPath();
  const prediction = progress?.step?.prediction;
  const predicted = predicting ? marked : (prediction?.predicted ?? []);
  const suffered = prediction?.predicted ? prediction.suffered : [];
  const rules: string[] = [];
  for (const id of predicted)
    rules.push(`${node(id)} { outline: 3px dashed var(--accent); outline-offset: 5px; border-radius: 10px; }`);
  for (const id of predicted)
    rules.push(`${node(id)}::before { content: "predicted"; ${BADGE} left: 0; background: var(--accent); }`);
  for (const id of suffered)
    rules.push(`${node(id)}::after { content: "suffered"; ${BADGE} right: 0; background: var(--down); }`);
  if (journey) {
    for (const id of journey.nodes)
      rules.push(`${node(id)} { outline: 3px solid var(--accent); outline-offset: 4px; border-radius: 10px; }`);
    for (const id of journey.links)
      rules.push(`${edge(id)} path { stroke: var(--accent) !important; stroke-width: 4px !important; }`);
  }
  if (predicting) rules.push('.react-flow__node { cursor: crosshair; }');
  return rules.length ? <style data-testid="canvas-marks">{rules.join('\n')}</style> : null;
}

/** Above the card, the prediction on the left and the outcome on the right, so neither hides a neighbour. */
const BADGE =
  'position: absolute; top: -24px; color: #fff; font-size: 11px; font-weight: 600; padding: 1px 6px; border-radius: 8px; white-space: nowrap; z-index: 5;';
