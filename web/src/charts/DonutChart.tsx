import { arcPath } from "./scale";

/** Slice is one part of a donut; label is its exact, formatted value. */
export interface Slice {
  name: string;
  value: number;
  label: string;
}

export const PALETTE_SIZE = 8;
const SIZE = 180;
const GAP = 0.025; // radians between slices, showing the card behind (no stroke, no seam)

/** DonutChart draws shares of a whole (allocation, spending) as plain SVG, with a text legend. */
export function DonutChart({ slices, title, center }: { slices: Slice[]; title: string; center?: string }) {
  const total = slices.reduce((s, x) => s + Math.max(0, x.value), 0);
  if (slices.length === 0 || total <= 0) return <p className="muted">Nothing to show yet.</p>;
  const r = SIZE / 2;
  const inner = r * 0.62;
  let a = 0;
  const arcs = slices.map((s, i) => {
    const span = (Math.max(0, s.value) / total) * Math.PI * 2;
    const gap = slices.length > 1 && span > GAP * 2 ? GAP / 2 : 0;
    const d = arcPath(r, r, r, inner, a + gap, a + span - gap);
    a += span;
    return { d, i, name: s.name };
  });
  return (
    <div className="chart donut" data-chart="donut">
      <div className="donut-plot">
        <svg className="donut-svg" viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label={`${title}: ${slices.map((s) => `${s.name} ${s.label}`).join(", ")}`}>
          {arcs.map((x) => (
            <path key={x.name} className={`donut-slice slice-${x.i % PALETTE_SIZE}`} d={x.d} fillRule="evenodd" />
          ))}
        </svg>
        {center && (
          <span className="donut-center" aria-hidden="true">
            {center}
          </span>
        )}
      </div>
      <ul className="legend">
        {slices.map((s, i) => (
          <li key={s.name}>
            <span className={`swatch swatch-${i % PALETTE_SIZE}`} aria-hidden="true" />
            <span className="legend-name">{s.name}</span>
            <span className="legend-value">{s.label}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
