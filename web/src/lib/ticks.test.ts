import { describe, expect, it } from "vitest";
import { axisMoney, timeTicks } from "./ticks";

const t = (s: string) => Date.parse(s);

describe("timeTicks", () => {
  it.each([
    ["a trading day", "2026-12-02T04:40:00Z", "2026-12-02T16:40:00Z"],
    ["five days", "2026-11-27T00:00:00Z", "2026-12-02T16:40:00Z"],
    ["a month", "2026-11-02T00:00:00Z", "2026-12-02T00:00:00Z"],
    ["six months", "2026-06-02T00:00:00Z", "2026-12-02T00:00:00Z"],
    ["a year", "2025-12-02T00:00:00Z", "2026-12-02T00:00:00Z"],
    ["five years", "2021-12-02T00:00:00Z", "2026-12-02T00:00:00Z"],
    ["ten minutes", "2026-12-02T04:40:00Z", "2026-12-02T04:50:00Z"],
  ])("%s: 2–7 ticks inside the range with distinct labels", (_name, from, to) => {
    const { ticks, format } = timeTicks(t(from), t(to));
    const labels = ticks.map(format);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(new Set(labels).size).toBe(labels.length);
    for (const x of ticks) {
      expect(x).toBeGreaterThanOrEqual(t(from));
      expect(x).toBeLessThanOrEqual(t(to));
    }
  });

  it("labels hours on a day, dates on a month, months on a year", () => {
    const day = timeTicks(t("2026-12-02T04:40:00Z"), t("2026-12-02T16:40:00Z"));
    expect(day.ticks.map(day.format)).toEqual(["6 AM", "8 AM", "10 AM", "12 PM", "2 PM", "4 PM"]);
    const month = timeTicks(t("2026-11-02T00:00:00Z"), t("2026-12-02T00:00:00Z"));
    expect(month.ticks.map(month.format)).toEqual(["Nov 2", "Nov 9", "Nov 16", "Nov 23", "Nov 30"]);
    const year = timeTicks(t("2025-12-02T00:00:00Z"), t("2026-12-02T00:00:00Z"));
    expect(year.ticks.map(year.format)).toEqual(["Jan 2026", "Apr", "Jul", "Oct"]);
  });

  it("never repeats a time label (the 4:42 AM ×3 bug)", () => {
    // Three points within the same minute.
    const { ticks, format } = timeTicks(t("2026-12-02T04:42:00Z"), t("2026-12-02T04:42:50Z"));
    const labels = ticks.map(format);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe("axisMoney", () => {
  it.each([
    [1250, "USD", "$1,250"],
    [0, "USD", "$0"],
    [2.5, "EUR", "€2.5"],
    [98765, "GBP", "£98,765"],
    [1234567, "USD", "$1.2M"],
    [250000, "USD", "$250K"],
  ])("%d %s → %s", (v, c, want) => {
    expect(axisMoney(v, c)).toBe(want);
  });
});
