import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  /** A CSS colour variable of the theme, e.g. `--accent`. */
  color: string;
  dash?: number[];
}

/**
 * One uPlot chart over seconds since the run started. uPlot draws to a canvas and takes new data without
 * rebuilding, which keeps a 1 Hz trend cheap; the chart is rebuilt only when its series or the theme change.
 */
export function Chart({
  title,
  unit,
  series,
  data,
  theme,
}: {
  title: string;
  unit: string;
  series: ChartSeries[];
  data: uPlot.AlignedData;
  theme: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot>(undefined);
  const latest = useRef(data);
  latest.current = data;

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt for the theme's colours; data flows in below
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(el);
    const color = (name: string) => css.getPropertyValue(name).trim();
    const axis = {
      stroke: color('--muted'),
      grid: { stroke: color('--border'), width: 1 },
      ticks: { show: false },
      font: '11px Inter Variable, sans-serif',
    };
    const size = () => ({ width: el.clientWidth, height: Math.max(60, el.clientHeight) });
    const chart = new uPlot(
      {
        ...size(),
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          {
            ...axis,
            size: 22,
            space: 60,
            incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300],
            values: (_u, splits) => splits.map((s) => `t+${s} s`),
          },
          { ...axis, size: 44 },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: color(s.color),
            width: 2,
            dash: s.dash,
            points: { show: false },
          })),
        ],
      },
      latest.current,
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize(size()));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = undefined;
    };
  }, [series.map((s) => s.label).join(), theme]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const legend = series.length > 1 ? ` — ${series.map((s) => s.label + (s.dash ? ' (dashed)' : '')).join(', ')}` : '';
  return (
    <figure className="chart">
      <figcaption className="chart-title">
        {title} ({unit}){legend}
      </figcaption>
      <div className="chart-plot" ref={box} role="img" aria-label={`${title} over time, in ${unit}`} />
    </figure>
  );
}
