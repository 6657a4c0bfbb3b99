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
 * One uPlot time-series chart. uPlot draws to a canvas and takes new data without rebuilding, which keeps a
 * 1 Hz trend cheap; the chart is rebuilt only when its series or the theme change.
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
    const axis = { stroke: color('--muted'), grid: { stroke: color('--border'), width: 1 }, ticks: { show: false } };
    const chart = new uPlot(
      {
        width: el.clientWidth,
        height: Math.max(80, el.clientHeight - 28),
        title: `${title} (${unit})`,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [axis, { ...axis, size: 48 }],
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
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: el.clientWidth, height: Math.max(80, el.clientHeight - 28) }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = undefined;
    };
  }, [title, unit, series.map((s) => s.label).join(), theme]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="chart" ref={box} role="img" aria-label={`${title} chart, ${unit}`} />;
}
