import { dateFormat } from "./intl";

const dateFmt = () => dateFormat({ year: "numeric", month: "short", day: "numeric" });
const dateTimeFmt = () => dateFormat({ year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

/** formatDate renders an RFC 3339 timestamp as "Nov 28, 2026". */
export function formatDate(ts: string | null | undefined): string {
  if (!ts) return "—";
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : dateFmt().format(d);
}

/** formatDateTime renders an RFC 3339 timestamp with the time of day. */
export function formatDateTime(ts: string | null | undefined): string {
  if (!ts) return "—";
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : dateTimeFmt().format(d);
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

const timeFmt = () => dateFormat({ hour: "numeric", minute: "2-digit" });

/** formatTime renders the time of day of an RFC 3339 timestamp: "4:42 PM". */
export function formatTime(ts: string | null | undefined): string {
  if (!ts) return "—";
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : timeFmt().format(d);
}
