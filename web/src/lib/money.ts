import { type Dec, add, groupThousands, parseDec, rescale, toPlain, trimZeros } from "./decimal";

/** CURRENCIES lists the supported ISO 4217 codes with their minor digits and symbols. */
export const CURRENCIES = {
  USD: { digits: 2, symbol: "$" },
  EUR: { digits: 2, symbol: "€" },
  GBP: { digits: 2, symbol: "£" },
} as const;

export type Currency = keyof typeof CURRENCIES;

function meta(currency: string): { digits: number; symbol: string } {
  return (CURRENCIES as Record<string, { digits: number; symbol: string }>)[currency] ?? {
    digits: 2,
    symbol: currency + " ",
  };
}

/**
 * formatMoney renders a decimal amount string as "−$1,234.50" with the
 * currency's exact digits. minDigits keeps more digits when the amount has
 * them (prices such as $0.0000085), never fewer than the currency's.
 */
export function formatMoney(
  amount: string | null | undefined,
  currency: string,
  opts: { sign?: boolean; minDigits?: boolean } = {},
): string {
  const d = parseDec(amount ?? "");
  if (!d) return "—";
  const m = meta(currency);
  const r = opts.minDigits && d.scale > m.digits ? trimTo(d, m.digits) : rescale(d, m.digits);
  const neg = r.units < 0n;
  const plain = toPlain({ units: neg ? -r.units : r.units, scale: r.scale });
  const sign = neg ? "−" : opts.sign && r.units > 0n ? "+" : "";
  return `${sign}${m.symbol}${groupThousands(plain)}`;
}

/** trimTo drops trailing zeros beyond min fractional digits: 0.00000850 → 0.0000085. */
function trimTo(d: Dec, min: number): Dec {
  let r = d;
  while (r.scale > min && r.units % 10n === 0n) r = { units: r.units / 10n, scale: r.scale - 1 };
  return r;
}

/** sumAmounts adds decimal amount strings exactly and returns the total at the currency's digits. */
export function sumAmounts(amounts: string[], currency: string): string {
  let total: Dec = { units: 0n, scale: meta(currency).digits };
  for (const a of amounts) {
    const d = parseDec(a);
    if (d) total = add(total, d);
  }
  return toPlain(rescale(total, meta(currency).digits));
}

/** toMinorUnits converts "12.34" USD to 1234n; null if it has more digits than the currency allows. */
export function toMinorUnits(amount: string, currency: string): bigint | null {
  const d = parseDec(amount);
  const digits = meta(currency).digits;
  if (!d || d.scale > digits) return null;
  return rescale(d, digits).units;
}

/** formatQuantity renders a security quantity without trailing zeros: "1.50000000" → "1.5". */
export function formatQuantity(q: string | null | undefined): string {
  const d = parseDec(q ?? "");
  return d ? groupThousands(trimZeros(d)) : "—";
}

/** formatPercent renders "12.345" as "+12.35%" (two decimals, exact rounding). */
export function formatPercent(p: string | number | null | undefined, opts: { sign?: boolean } = { sign: true }): string {
  const d = parseDec(p ?? "");
  if (!d) return "—";
  const r = rescale(d, 2);
  const s = groupThousands(toPlain({ units: r.units < 0n ? -r.units : r.units, scale: 2 }));
  const sign = r.units < 0n ? "−" : opts.sign && r.units > 0n ? "+" : "";
  return `${sign}${s}%`;
}

/** signOf returns -1, 0 or 1 for a decimal string (0 for unparsable input). */
export function signOf(amount: string | number | null | undefined): number {
  const d = parseDec(amount ?? "");
  if (!d || d.units === 0n) return 0;
  return d.units < 0n ? -1 : 1;
}
