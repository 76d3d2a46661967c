import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";

/** Slice is one part of a donut; label is its exact, formatted value. */
export interface Slice {
  name: string;
  value: number;
  label: string;
}

export const PALETTE = ["#0b5cad", "#0a7d45", "#b45309", "#7c3aed", "#be185d", "#0e7490", "#4d7c0f", "#9f1239"];

/** DonutChart draws shares of a whole (allocation, spending) with a text legend. */
export default function DonutChart({ slices, title }: { slices: Slice[]; title: string }) {
  if (slices.length === 0) return <p className="muted">Nothing to show yet.</p>;
  return (
    <div className="chart donut" data-chart="donut">
      <div className="donut-plot" role="img" aria-label={`${title}: ${slices.map((s) => `${s.name} ${s.label}`).join(", ")}`}>
        <ResponsiveContainer width="100%" height={200}>
          <PieChart>
            <Pie data={slices} dataKey="value" nameKey="name" innerRadius="55%" outerRadius="90%" isAnimationActive={false}>
              {slices.map((s, i) => (
                <Cell key={s.name} fill={PALETTE[i % PALETTE.length]} />
              ))}
            </Pie>
            <Tooltip formatter={(_v, _n, item) => [(item.payload as Slice).label, (item.payload as Slice).name]} />
          </PieChart>
        </ResponsiveContainer>
      </div>
      <ul className="legend">
        {slices.map((s, i) => (
          <li key={s.name}>
            <span className={`swatch swatch-${i % PALETTE.length}`} aria-hidden="true" />
            <span className="legend-name">{s.name}</span>
            <span className="legend-value">{s.label}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
