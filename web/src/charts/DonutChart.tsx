import { Cell, Pie, PieChart, ResponsiveContainer } from "recharts";

/** Slice is one part of a donut; label is its exact, formatted value. */
export interface Slice {
  name: string;
  value: number;
  label: string;
}

export const PALETTE_SIZE = 8;

/**
 * DonutChart draws shares of a whole (allocation, spending) with a text
 * legend. Slices are separated by a gap in the page's own background colour
 * (no stroke, so no white seam in dark mode or on a single full slice).
 */
export default function DonutChart({ slices, title, center }: { slices: Slice[]; title: string; center?: string }) {
  if (slices.length === 0) return <p className="muted">Nothing to show yet.</p>;
  return (
    <div className="chart donut" data-chart="donut">
      <div className="donut-plot" role="img" aria-label={`${title}: ${slices.map((s) => `${s.name} ${s.label}`).join(", ")}`}>
        <ResponsiveContainer width="100%" height={180}>
          <PieChart>
            <Pie
              data={slices}
              dataKey="value"
              nameKey="name"
              innerRadius="62%"
              outerRadius="95%"
              paddingAngle={slices.length > 1 ? 1.5 : 0}
              stroke="none"
              startAngle={90}
              endAngle={-270}
              isAnimationActive={false}
            >
              {slices.map((s, i) => (
                <Cell key={s.name} className={`slice slice-${i % PALETTE_SIZE}`} />
              ))}
            </Pie>
          </PieChart>
        </ResponsiveContainer>
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
