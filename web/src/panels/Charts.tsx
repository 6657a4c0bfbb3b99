import { own } from '@lab/model';
import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { useNodeLabels, useSelection, useStartedAt, useTheme, useTrend } from '../store/selectors';
import type { NodeTrend, TrendSample } from '../store/trend';
import { Chart, type ChartSeries } from './Chart';

const RATE: ChartSeries[] = [
  { label: 'in', color: '--accent' },
  { label: 'out', color: '--running', dash: [6, 4] },
];
const P99: ChartSeries[] = [{ label: 'p99', color: '--slow' }];
const LAG: ChartSeries[] = [{ label: 'lag', color: '--hung' }];
const ERRORS: ChartSeries[] = [{ label: 'errors', color: '--down' }];

/** Rate, p99, error rate and lag of one node over the last five minutes: the numbers an experiment is read from. */
export function Charts() {
  const trend = useTrend();
  const startedAt = useStartedAt();
  const selection = useSelection();
  const labels = useNodeLabels();
  const { theme } = useTheme();
  const [picked, setPicked] = useState<string>();
  const ids = Object.keys(labels);
  const nodeId = [selection.nodes[0], picked, ids[0]].find((id) => id && Object.hasOwn(labels, id));

  const data = useMemo(() => {
    const column = (pick: (n: NodeTrend) => number) => seriesOf(trend, nodeId, pick);
    const start = startedAt ?? trend[0]?.at ?? 0;
    const x = trend.map((s) => (s.at - start) / 1000);
    return {
      rate: [x, column((n) => n.inRate), column((n) => n.outRate)] as uPlot.AlignedData,
      p99: [x, column((n) => n.p99Ms)] as uPlot.AlignedData,
      lag: [x, column((n) => n.lag)] as uPlot.AlignedData,
      errors: [x, column((n) => Math.round(n.errorRate * 1000) / 10)] as uPlot.AlignedData,
    };
  }, [trend, nodeId, startedAt]);

  if (!nodeId) return <p className="dock-empty">Add a node, run the topology, and its numbers show here.</p>;
  return (
    <div className="charts">
      <div className="messages-bar">
        <label>
          Node{' '}
          <select value={nodeId} onChange={(e) => setPicked(e.target.value)} disabled={selection.nodes.length > 0}>
            {ids.map((id) => (
              <option key={id} value={id}>
                {own(labels, id)}
              </option>
            ))}
          </select>
        </label>
        <span className="field-hint">
          {selection.nodes.length ? 'the selected node' : 'select a node on the canvas to follow it'} · last 5 minutes
          {trend.length === 0 && ' · nothing recorded yet: run the topology'}
        </span>
      </div>
      <div className="chart-row">
        <Chart title="Rate" unit="ev/s" series={RATE} data={data.rate} theme={theme} />
        <Chart title="p99 latency" unit="ms" series={P99} data={data.p99} theme={theme} />
        <Chart title="Error rate" unit="% of inputs" series={ERRORS} data={data.errors} theme={theme} />
        <Chart title="Lag" unit="msgs" series={LAG} data={data.lag} theme={theme} />
      </div>
    </div>
  );
}

/** A gap (null) where the node had no numbers, so the line breaks instead of inventing a zero. */
function seriesOf(trend: TrendSample[], id: string | undefined, pick: (n: NodeTrend) => number): (number | null)[] {
  return trend.map((s) => {
    const n = id ? own(s.nodes, id) : undefined;
    return n ? pick(n) : null;
  });
}
