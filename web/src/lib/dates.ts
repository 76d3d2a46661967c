const dateFmt = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** formatDate renders an RFC 3339 timestamp as "Nov 28, 2026". */
export function formatDate(ts: string | null | undefined): string {
  if (!ts) return "—";
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : dateFmt.format(d);
}

/** formatDateTime renders an RFC 3339 timestamp with the time of day. */
export function formatDateTime(ts: string | null | undefined): string {
  if (!ts) return "—";
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : dateTimeFmt.format(d);
}

/** isoDate returns YYYY-MM-DD for a Date in local time. */
export function isoDate(d: Date): string {
  const m = String(d.getMonth() + 1).padStart(2, "0");
  const day = String(d.getDate()).padStart(2, "0");
  return `${d.getFullYear()}-${m}-${day}`;
}

/** currentMonth returns YYYY-MM for today. */
export function currentMonth(): string {
  return isoDate(new Date()).slice(0, 7);
}

const timeFmt = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });

/** tickFormatFor picks date ticks, or time-of-day ticks when all points fall within about a day. */
export function tickFormatFor(times: string[]): (t: string) => string {
  const first = times[0];
  const last = times[times.length - 1];
  if (!first || !last) return formatDate;
  const span = new Date(last).getTime() - new Date(first).getTime();
  if (span > 36 * 3_600_000) return formatDate;
  return (t: string) => {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? t : timeFmt.format(d);
  };
}
