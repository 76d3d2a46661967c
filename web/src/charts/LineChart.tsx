import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** LinePoint is one plotted point; label is the exact, formatted value shown in the tooltip. */
export interface LinePoint {
  t: string;
  v: number;
  label: string;
}

/** LineChart draws a time series (balance, price, portfolio value). */
export default function LineChart({ points, title, tickFormat }: { points: LinePoint[]; title: string; tickFormat: (t: string) => string }) {
  if (points.length === 0) return <p className="muted">No data for this period yet.</p>;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const up = last.v >= first.v;
  const color = up ? "#0a7d45" : "#b42318";
  return (
    <div className="chart" role="img" aria-label={`${title}: from ${first.label} to ${last.label}`} data-chart="line">
      <ResponsiveContainer width="100%" height={220}>
        <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <defs>
            <linearGradient id={`fill-${title.replace(/\W/g, "")}`} x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor={color} stopOpacity={0.25} />
              <stop offset="100%" stopColor={color} stopOpacity={0} />
            </linearGradient>
          </defs>
          <CartesianGrid stroke="#e6e9ef" vertical={false} />
          <XAxis dataKey="t" tickFormatter={tickFormat} minTickGap={32} tick={{ fontSize: 12, fill: "#4a5565" }} />
          <YAxis domain={["auto", "auto"]} width={64} tick={{ fontSize: 12, fill: "#4a5565" }} />
          <Tooltip
            formatter={(_v, _n, item) => [(item.payload as LinePoint).label, title]}
            labelFormatter={(t) => tickFormat(String(t))}
          />
          <Area
            type="monotone"
            dataKey="v"
            stroke={color}
            strokeWidth={2}
            fill={`url(#fill-${title.replace(/\W/g, "")})`}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
