// Exact decimal arithmetic on strings, backed by BigInt. Amounts, prices and
// quantities never pass through JS floating point (0.1 + 0.2 !== 0.3).

/** Dec is an exact decimal: value = units / 10^scale. */
export interface Dec {
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** parseDec parses "12", "-3.50", "+0.00000001"; returns null when s is not a plain decimal. */
export function parseDec(s: string | number | null | undefined): Dec | null {
  if (s === null || s === undefined) return null;
  const m = DECIMAL_RE.exec(String(s).trim());
  if (!m) return null;
  const frac = m[3] ?? "";
  const units = BigInt((m[2] ?? "0") + frac);
  return { units: m[1] === "-" ? -units : units, scale: frac.length };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** rescale returns d at the given scale, rounding half away from zero when it drops digits. */
export function rescale(d: Dec, scale: number): Dec {
  if (scale >= d.scale) return { units: d.units * pow10(scale - d.scale), scale };
  const div = pow10(d.scale - scale);
  const neg = d.units < 0n;
  const abs = neg ? -d.units : d.units;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { units: neg ? -q : q, scale };
}

/** add returns a + b exactly. */
export function add(a: Dec, b: Dec): Dec {
  const s = Math.max(a.scale, b.scale);
  return { units: rescale(a, s).units + rescale(b, s).units, scale: s };
}

/** sub returns a - b exactly. */
export function sub(a: Dec, b: Dec): Dec {
  return add(a, { units: -b.units, scale: b.scale });
}

/** mul returns a × b exactly. */
export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** cmp returns -1, 0 or 1 as a is less than, equal to or greater than b. */
export function cmp(a: Dec, b: Dec): number {
  const d = sub(a, b).units;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** toPlain renders d with exactly its scale's digits, e.g. {1250, 2} → "12.50". */
export function toPlain(d: Dec): string {
  const neg = d.units < 0n;
  const digits = (neg ? -d.units : d.units).toString().padStart(d.scale + 1, "0");
  const int = digits.slice(0, digits.length - d.scale);
  const frac = d.scale > 0 ? "." + digits.slice(digits.length - d.scale) : "";
  return (neg ? "-" : "") + int + frac;
}

/** trimZeros renders d without trailing fractional zeros: "1.50000000" → "1.5". */
export function trimZeros(d: Dec): string {
  const s = toPlain(d);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** groupThousands inserts commas into the integer part of a plain decimal string. */
export function groupThousands(plain: string): string {
  const [int, frac] = plain.split(".");
  const grouped = (int ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** toChartNumber converts for plotting only; never feed the result back into money math. */
export function toChartNumber(d: Dec): number {
  return Number(toPlain(d));
}
