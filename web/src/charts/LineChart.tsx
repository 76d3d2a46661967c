import { useId } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisMoney, timeTicks, tooltipTimeLabel } from "../lib/ticks";

/** LinePoint is one plotted point; label is the exact, formatted value shown in the tooltip. */
export interface LinePoint {
  t: string;
  v: number;
  label: string;
}

interface Row {
  x: number;
  v: number;
  label: string;
}

/**
 * LineChart draws a time series. Balances change in steps (a balance is flat
 * between two entries), so they use variant "step"; prices are sampled and
 * use "linear". The axes carry the currency with thousands separators, and
 * time ticks sit on calendar boundaries with distinct labels.
 */
export default function LineChart({
  points,
  title,
  currency,
  variant = "linear",
  height = 240,
}: {
  points: LinePoint[];
  title: string;
  currency: string;
  variant?: "step" | "linear";
  height?: number;
}) {
  const gid = useId().replace(/:/g, "");
  if (points.length === 0) return <p className="muted chart-empty">No data for this period yet.</p>;
  const rows: Row[] = points.map((p) => ({ x: Date.parse(p.t), v: p.v, label: p.label }));
  if (rows.length === 1) {
    // One point is a flat line from the start of the day to it, not a lonely dot.
    rows.unshift({ ...rows[0]!, x: rows[0]!.x - 3_600_000 });
  }
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const up = last.v >= first.v;
  const { ticks, format } = timeTicks(first.x, last.x, 5);
  const span = last.x - first.x;
  return (
    <div className={`chart line-chart ${up ? "trend-up" : "trend-down"}`} role="img" aria-label={`${title}: from ${points[0]!.label} to ${points[points.length - 1]!.label}`} data-chart="line">
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: 0 }}>
          <defs>
            <linearGradient id={`fill-${gid}`} x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" className="grad-top" />
              <stop offset="100%" className="grad-bottom" />
            </linearGradient>
          </defs>
          <CartesianGrid vertical={false} />
          <XAxis
            dataKey="x"
            type="number"
            scale="time"
            domain={[first.x, last.x]}
            ticks={ticks}
            tickFormatter={format}
            tick={{ fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            minTickGap={24}
          />
          <YAxis
            domain={["auto", "auto"]}
            width={72}
            tick={{ fontSize: 12 }}
            tickFormatter={(v: number) => axisMoney(v, currency)}
            tickLine={false}
            axisLine={false}
            tickCount={4}
          />
          <Tooltip
            cursor={{ className: "chart-cursor" }}
            content={({ active, payload }) => {
              const row = active ? (payload?.[0]?.payload as Row | undefined) : undefined;
              if (!row) return null;
              return (
                <div className="chart-tip">
                  <span className="chart-tip-value">{row.label}</span>
                  <span className="chart-tip-time">{tooltipTimeLabel(row.x, span)}</span>
                </div>
              );
            }}
          />
          <Area
            type={variant === "step" ? "stepAfter" : "linear"}
            dataKey="v"
            className="chart-series"
            strokeWidth={2}
            fill={`url(#fill-${gid})`}
            isAnimationActive={false}
            activeDot={{ r: 4, className: "chart-dot" }}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
