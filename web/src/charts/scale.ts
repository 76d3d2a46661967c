// Scales for the hand-drawn SVG charts: "nice" value ticks and path builders.

/** niceStep is 1, 2, 2.5 or 5 × 10^k, the step that gives about `count` intervals over span. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return m * mag;
}

/** valueTicks returns a nice domain covering [min, max] and its ticks (about `count` of them). */
export function valueTicks(min: number, max: number, count = 4): { domain: [number, number]; ticks: number[] } {
  let lo = min;
  let hi = max;
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.05 || 1;
    lo -= pad;
    hi += pad;
  }
  // A positive series that starts near zero is shown from zero, not from a cut-off baseline.
  if (lo > 0 && lo < hi * 0.35) lo = 0;
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 1e6; v += step) ticks.push(Number(v.toFixed(10)));
  return { domain: [start, end], ticks };
}

/** linePath joins points with straight segments; stepPath holds each value until the next point (balances). */
export function linePath(pts: [number, number][], variant: "linear" | "step"): string {
  if (pts.length === 0) return "";
  const f = (n: number) => n.toFixed(1);
  let d = `M${f(pts[0]![0])},${f(pts[0]![1])}`;
  for (let i = 1; i < pts.length; i++) {
    const [x, y] = pts[i]!;
    if (variant === "step") d += ` L${f(x)},${f(pts[i - 1]![1])} L${f(x)},${f(y)}`;
    else d += ` L${f(x)},${f(y)}`;
  }
  return d;
}

/** arcPath is a donut slice from angle a0 to a1 (radians, clockwise from 12 o'clock). */
export function arcPath(cx: number, cy: number, r: number, inner: number, a0: number, a1: number): string {
  const pt = (rad: number, a: number) => `${(cx + rad * Math.sin(a)).toFixed(2)},${(cy - rad * Math.cos(a)).toFixed(2)}`;
  if (a1 - a0 >= Math.PI * 2 - 1e-6) {
    // A whole ring: two circles, the hole cut out by the even-odd rule (no seam).
    return `M${cx - r},${cy} a${r},${r} 0 1,0 ${2 * r},0 a${r},${r} 0 1,0 ${-2 * r},0 M${cx - inner},${cy} a${inner},${inner} 0 1,1 ${2 * inner},0 a${inner},${inner} 0 1,1 ${-2 * inner},0`;
  }
  const large = a1 - a0 > Math.PI ? 1 : 0;
  return `M${pt(r, a0)} A${r},${r} 0 ${large} 1 ${pt(r, a1)} L${pt(inner, a1)} A${inner},${inner} 0 ${large} 0 ${pt(inner, a0)} Z`;
}
