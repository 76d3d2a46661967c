// Axis ticks for time charts: placed on calendar boundaries that suit the
// span (hours, days, weeks, months, years), so every label is distinct
// ("9 AM", "Dec 2", "Jan 2027"), never the same time three times.

const H = 3_600_000;
const D = 24 * H;

export interface TimeTicks {
  ticks: number[];
  format: (t: number) => string;
}

import { dateFormat, numberFormat } from "./intl";

const fmt = (o: Intl.DateTimeFormatOptions) => ({ format: (t: number) => dateFormat({ timeZone: "UTC", ...o }).format(t) });
const hourFmt = fmt({ hour: "numeric" });
const dayFmt = fmt({ month: "short", day: "numeric" });
const monthFmt = fmt({ month: "short" });
const monthYearFmt = fmt({ month: "short", year: "numeric" });
const yearFmt = fmt({ year: "numeric" });
const tooltipDay = fmt({ month: "short", day: "numeric", year: "numeric" });
const tooltipTime = fmt({ month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

/** timeTicks picks at most about `max` ticks between min and max (ms since epoch, UTC). */
export function timeTicks(min: number, max: number, maxTicks = 6): TimeTicks {
  const span = max - min;
  if (!(span > 0)) return { ticks: [min], format: (t) => dayFmt.format(t) };
  const candidates: { step: (d: Date) => void; start: (d: Date) => void; format: (t: number) => string; approx: number }[] = [
    ...[1, 2, 3, 6, 12].map((n) => ({
      approx: n * H,
      start: (d: Date) => d.setUTCHours(Math.ceil(d.getUTCHours() / n) * n, 0, 0, 0),
      step: (d: Date) => d.setUTCHours(d.getUTCHours() + n),
      format: (t: number) => hourFmt.format(t),
    })),
    ...[1, 2, 7, 14].map((n) => ({
      approx: n * D,
      start: (d: Date) => {
        d.setUTCHours(0, 0, 0, 0);
        if (n === 7 || n === 14) d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7)); // Mondays
      },
      step: (d: Date) => d.setUTCDate(d.getUTCDate() + n),
      format: (t: number) => dayFmt.format(t),
    })),
    ...[1, 2, 3, 6].map((n) => ({
      approx: n * 30 * D,
      start: (d: Date) => {
        d.setUTCHours(0, 0, 0, 0);
        d.setUTCDate(1);
        d.setUTCMonth(Math.ceil(d.getUTCMonth() / n) * n);
      },
      step: (d: Date) => d.setUTCMonth(d.getUTCMonth() + n),
      format: (t: number) => (new Date(t).getUTCMonth() === 0 ? monthYearFmt.format(t) : monthFmt.format(t)),
    })),
    ...[1, 2, 5, 10].map((n) => ({
      approx: n * 365 * D,
      start: (d: Date) => {
        d.setUTCHours(0, 0, 0, 0);
        d.setUTCMonth(0, 1);
        d.setUTCFullYear(Math.ceil(d.getUTCFullYear() / n) * n);
      },
      step: (d: Date) => d.setUTCFullYear(d.getUTCFullYear() + n),
      format: (t: number) => yearFmt.format(t),
    })),
  ];
  const c = candidates.find((x) => span / x.approx <= maxTicks) ?? candidates[candidates.length - 1]!;
  const d = new Date(min);
  c.start(d);
  if (d.getTime() < min) c.step(d);
  const ticks: number[] = [];
  for (let i = 0; d.getTime() <= max && i < 50; i++) {
    ticks.push(d.getTime());
    c.step(d);
  }
  // An hourly axis that crosses midnight labels the day instead of "12 AM".
  const format =
    c.approx < D
      ? (t: number) => (new Date(t).getUTCHours() === 0 ? dayFmt.format(t) : c.format(t))
      : c.format;
  return { ticks, format };
}

/** tooltipTimeLabel formats a point's time for a tooltip, with the time of day on short spans. */
export function tooltipTimeLabel(t: number, spanMs: number): string {
  return spanMs <= 7 * D ? tooltipTime.format(t) : tooltipDay.format(t);
}

/** axisMoney formats a y-axis value with its currency and thousands separators: "$1,250", "$12.5K" past 100,000. */
export function axisMoney(v: number, currency: string): string {
  const abs = Math.abs(v);
  const opts: Intl.NumberFormatOptions =
    abs >= 100_000
      ? { style: "currency", currency, notation: "compact", maximumFractionDigits: 1, minimumFractionDigits: 0 }
      : { style: "currency", currency, maximumFractionDigits: abs < 10 ? 2 : 0, minimumFractionDigits: 0 };
  return numberFormat(opts).format(v);
}
