import { type PointerEvent, useId, useMemo, useRef, useState } from "react";
import { axisMoney, timeTicks, tooltipTimeLabel } from "../lib/ticks";
import { linePath, valueTicks } from "./scale";
import { useWidth } from "./useWidth";

/** LinePoint is one plotted point; label is the exact, formatted value shown in the tooltip. */
export interface LinePoint {
  t: string;
  v: number;
  label: string;
}

const M = { top: 10, right: 8, bottom: 26, left: 68 };

/**
 * LineChart draws a time series as plain SVG. Balances change in steps (a
 * balance is flat between two entries), so they use variant "step"; prices
 * are sampled and use "linear". The y axis carries the currency with
 * thousands separators; time ticks sit on calendar boundaries with distinct
 * labels. The chart is an image to assistive technology, described by its
 * first and last values; the exact values are in the tooltip and the page.
 */
export function LineChart({
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
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const [hover, setHover] = useState<number | null>(null);
  const rows = useMemo(() => {
    const r = points.map((p) => ({ x: Date.parse(p.t), v: p.v, label: p.label }));
    // One point is a flat line over the hour before it, not a lonely dot.
    if (r.length === 1) r.unshift({ ...r[0]!, x: r[0]!.x - 3_600_000 });
    return r;
  }, [points]);
  const geo = useMemo(() => {
    if (rows.length === 0) return null;
    const x0 = rows[0]!.x;
    const x1 = rows[rows.length - 1]!.x;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      lo = Math.min(lo, r.v);
      hi = Math.max(hi, r.v);
    }
    const y = valueTicks(lo, hi, height >= 200 ? 4 : 3);
    const iw = Math.max(10, width - M.left - M.right);
    const ih = height - M.top - M.bottom;
    const sx = (t: number) => M.left + (x1 === x0 ? iw : ((t - x0) / (x1 - x0)) * iw);
    const sy = (v: number) => M.top + ih - ((v - y.domain[0]) / (y.domain[1] - y.domain[0] || 1)) * ih;
    const pts = rows.map((r) => [sx(r.x), sy(r.v)] as [number, number]);
    const line = linePath(pts, variant);
    const base = sy(y.domain[0]);
    const area = `${line} L${pts[pts.length - 1]![0].toFixed(1)},${base.toFixed(1)} L${pts[0]![0].toFixed(1)},${base.toFixed(1)} Z`;
    const xt = timeTicks(x0, x1, Math.max(2, Math.min(6, Math.floor(iw / 110))));
    return { x0, x1, y, sx, sy, pts, line, area, xt, base };
  }, [rows, width, height, variant]);

  if (!geo || points.length === 0) return <p className="muted chart-empty">No data for this period yet.</p>;
  const up = rows[rows.length - 1]!.v >= rows[0]!.v;
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left;
    let best = 0;
    for (let i = 1; i < geo.pts.length; i++) if (Math.abs(geo.pts[i]![0] - px) < Math.abs(geo.pts[best]![0] - px)) best = i;
    setHover(best);
  };
  const h = hover !== null ? rows[hover] : undefined;
  const hp = hover !== null ? geo.pts[hover] : undefined;
  return (
    <div ref={box} className={`chart line-chart ${up ? "trend-up" : "trend-down"}`} data-chart="line">
      <svg
        className="chart-svg"
        width="100%"
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}: from ${points[0]!.label} to ${points[points.length - 1]!.label}`}
        onPointerMove={onMove}
        onPointerLeave={() => setHover(null)}
      >
        <defs>
          <linearGradient id={`fill-${gid}`} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" className="grad-top" />
            <stop offset="100%" className="grad-bottom" />
          </linearGradient>
        </defs>
        <g className="chart-y" aria-hidden="true">
          {geo.y.ticks.map((v) => (
            <g key={v}>
              <line className="chart-grid" x1={M.left} x2={width - M.right} y1={geo.sy(v)} y2={geo.sy(v)} />
              <text className="chart-tick" x={M.left - 8} y={geo.sy(v)} dy="0.32em" textAnchor="end">
                {axisMoney(v, currency)}
              </text>
            </g>
          ))}
        </g>
        <g className="chart-x" aria-hidden="true">
          {geo.xt.ticks.map((t) => (
            <text key={t} className="chart-tick" x={geo.sx(t)} y={height - 6} textAnchor="middle">
              {geo.xt.format(t)}
            </text>
          ))}
        </g>
        <path className="chart-area" d={geo.area} fill={`url(#fill-${gid})`} />
        <path className="chart-line" d={geo.line} />
        {hp && (
          <g aria-hidden="true">
            <line className="chart-cursor" x1={hp[0]} x2={hp[0]} y1={M.top} y2={geo.base} />
            <circle className="chart-dot" cx={hp[0]} cy={hp[1]} r={4} />
          </g>
        )}
      </svg>
      {h && hp && (
        <div className={`chart-tip${hp[0] > width / 2 ? " chart-tip-left" : ""}`} style={{ left: hp[0], top: Math.max(0, hp[1] - 12) }} aria-hidden="true">
          <span className="chart-tip-value">{h.label}</span>
          <span className="chart-tip-time">{tooltipTimeLabel(h.x, geo.x1 - geo.x0)}</span>
        </div>
      )}
    </div>
  );
}
