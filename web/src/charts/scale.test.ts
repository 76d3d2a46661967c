import { expect, it } from "vitest";
import { arcPath, linePath, valueTicks } from "./scale";

it("value ticks are nice and cover the data", () => {
  expect(valueTicks(1834.5, 11364.83)).toEqual({ domain: [0, 15000], ticks: [0, 5000, 10000, 15000] });
  expect(valueTicks(255.1, 262.4)).toEqual({ domain: [254, 264], ticks: [254, 256, 258, 260, 262, 264] });
  const flat = valueTicks(100, 100);
  expect(flat.domain[0]).toBeLessThan(100);
  expect(flat.domain[1]).toBeGreaterThan(100);
});

it("a step path holds each value until the next point: only horizontal and vertical segments", () => {
  const d = linePath([[0, 10], [10, 20], [20, 5]], "step");
  expect(d).toBe("M0.0,10.0 L10.0,10.0 L10.0,20.0 L20.0,20.0 L20.0,5.0");
  expect(linePath([[0, 10], [10, 20]], "linear")).toBe("M0.0,10.0 L10.0,20.0");
});

it("a full ring has no seam: two circles cut by the even-odd rule, no radial line", () => {
  const d = arcPath(90, 90, 90, 55, 0, Math.PI * 2);
  expect(d).not.toMatch(/L/);
  expect(d.match(/M/g)).toHaveLength(2);
});
