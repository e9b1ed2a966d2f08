/**
 * Bar charts drawn on the server as SVG: no script, no external library, and readable on a phone because
 * the viewBox scales to the page width. Under right-to-left the bars grow from the right; the SVG itself is
 * laid out with direction=ltr so that text-anchor means the same side whatever the page direction.
 */
import type { Lang } from '../i18n';
import { dir } from '../i18n';

export interface BarRow {
  label: string;
  href?: string;
  values: number[];
}

// Narrow enough that 13-unit text stays readable when a 360-px phone scales the chart down.
const WIDTH = 400;
const COLOURS = ['#0b57d0', '#e37400', '#188038'];

/** Scale of a bar: full width for the largest value, at least a sliver for any non-zero one. */
function barWidth(value: number, max: number, room: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(2, Math.round((value / max) * room));
}

/** Horizontal grouped bars: one group per row, one bar per series, the number at the end of each bar. */
export function GroupedBars(props: { lang: Lang; title: string; series: string[]; rows: BarRow[] }) {
  const rtl = dir(props.lang) === 'rtl';
  const barH = 14;
  const gap = 4;
  const labelH = 18;
  const groupH = labelH + props.series.length * (barH + gap) + 10;
  const legendH = 24;
  const height = legendH + props.rows.length * groupH;
  const numberRoom = 44;
  const room = WIDTH - numberRoom;
  const max = Math.max(0, ...props.rows.flatMap((r) => r.values));
  const x = (from: number, w: number) => (rtl ? WIDTH - from - w : from);
  const anchorStart = rtl ? 'end' : 'start';
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-label={props.title} class="chart" direction="ltr">
      <title>{props.title}</title>
      {props.series.map((s, i) => (
        <g>
          <rect x={x(i * 140, 12)} y={4} width={12} height={12} fill={COLOURS[i % COLOURS.length]} />
          <text x={rtl ? WIDTH - i * 140 - 18 : i * 140 + 18} y={15} font-size="13" text-anchor={anchorStart}>
            {s}
          </text>
        </g>
      ))}
      {props.rows.map((row, r) => {
        const top = legendH + r * groupH;
        return (
          <g>
            <text x={rtl ? WIDTH : 0} y={top + 13} font-size="13" font-weight="600" text-anchor={anchorStart}>
              {row.label}
            </text>
            {row.values.map((v, i) => {
              const w = barWidth(v, max, room);
              const y = top + labelH + i * (barH + gap);
              return (
                <g>
                  <rect x={x(0, w)} y={y} width={w} height={barH} fill={COLOURS[i % COLOURS.length]} />
                  <text x={rtl ? WIDTH - w - 4 : w + 4} y={y + barH - 2} font-size="12" text-anchor={anchorStart}>
                    {String(v)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical bars per day, oldest first (mirrored under right-to-left), with the first and last day named. */
export function Timeline(props: { lang: Lang; title: string; days: { value: string; items: number }[] }) {
  const rtl = dir(props.lang) === 'rtl';
  const height = 160;
  const chartH = 120;
  const n = Math.max(1, props.days.length);
  const step = WIDTH / n;
  const w = Math.max(1, step - (step > 4 ? 1 : 0));
  const max = Math.max(0, ...props.days.map((d) => d.items));
  const first = props.days[0];
  const last = props.days[props.days.length - 1];
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-label={props.title} class="chart" direction="ltr">
      <title>{props.title}</title>
      <line x1={0} y1={chartH + 0.5} x2={WIDTH} y2={chartH + 0.5} stroke="#a9b3bf" />
      {props.days.map((d, i) => {
        const h = max > 0 ? Math.max(1, Math.round((d.items / max) * (chartH - 14))) : 0;
        const left = rtl ? WIDTH - (i + 1) * step : i * step;
        return (
          <rect x={left.toFixed(1)} y={chartH - h} width={w.toFixed(1)} height={h} fill="#0b57d0">
            <title>{`${d.value}: ${d.items}`}</title>
          </rect>
        );
      })}
      {first ? (
        <text x={rtl ? WIDTH : 0} y={height - 20} font-size="12" text-anchor={rtl ? 'end' : 'start'}>
          {first.value}
        </text>
      ) : null}
      {last && last !== first ? (
        <text x={rtl ? 0 : WIDTH} y={height - 20} font-size="12" text-anchor={rtl ? 'start' : 'end'}>
          {last.value}
        </text>
      ) : null}
      <text x={rtl ? 0 : WIDTH} y={12} font-size="12" text-anchor={rtl ? 'start' : 'end'}>
        {`max ${max}`}
      </text>
    </svg>
  );
}
