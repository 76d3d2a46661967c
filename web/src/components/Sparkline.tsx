/**
 * Sparkline is a tiny price line in plain SVG (no chart library), for lists
 * such as the watchlist. values are for plotting only; the exact prices are
 * in the text beside it.
 */
export function Sparkline({ values, width = 96, height = 32, label }: { values: number[]; width?: number; height?: number; label: string }) {
  if (values.length < 2) return <span className="spark spark-empty" aria-hidden="true" />;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = width / (values.length - 1);
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`);
  const up = values[values.length - 1]! >= values[0]!;
  return (
    <svg className={`spark ${up ? "spark-up" : "spark-down"}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={pts.join(" ")} fill="none" strokeWidth="1.75" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
