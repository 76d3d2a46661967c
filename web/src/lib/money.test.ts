import { describe, expect, it } from "vitest";
import { formatMoney, formatPercent, formatQuantity, sumAmounts } from "./money";
import { mul, parseDec, rescale, toPlain } from "./decimal";

describe("formatMoney", () => {
  it.each([
    ["1250.00", "USD", "$1,250.00"],
    ["-20.05", "USD", "−$20.05"],
    ["0.1", "EUR", "€0.10"],
    ["1234567.89", "GBP", "£1,234,567.89"],
    ["999999999.99", "USD", "$999,999,999.99"],
    ["0", "USD", "$0.00"],
  ])("%s %s → %s", (amount, cur, want) => {
    expect(formatMoney(amount, cur)).toBe(want);
  });

  it("shows a plus sign only when asked", () => {
    expect(formatMoney("5.00", "USD", { sign: true })).toBe("+$5.00");
    expect(formatMoney("0.00", "USD", { sign: true })).toBe("$0.00");
  });

  it("keeps a price's extra digits when asked, never fewer than the currency's", () => {
    expect(formatMoney("0.00000850", "USD", { minDigits: true })).toBe("$0.0000085");
    expect(formatMoney("259.09", "USD", { minDigits: true })).toBe("$259.09");
    expect(formatMoney("91020.5", "USD", { minDigits: true })).toBe("$91,020.50");
  });

  it("renders a dash for garbage", () => {
    expect(formatMoney("abc", "USD")).toBe("—");
    expect(formatMoney(null, "USD")).toBe("—");
  });
});

describe("exact sums", () => {
  it("adds without float error", () => {
    expect(sumAmounts(["0.10", "0.20"], "USD")).toBe("0.30");
    expect(sumAmounts(["9007199254740.99", "0.01"], "USD")).toBe("9007199254741.00");
    expect(sumAmounts(["-20.05", "20.05"], "USD")).toBe("0.00");
  });

  it("multiplies quantity by price exactly", () => {
    const q = parseDec("0.12345678")!;
    const p = parseDec("187.43")!;
    expect(toPlain(rescale(mul(q, p), 2))).toBe("23.14");
    expect(toPlain(mul(q, p))).toBe("23.1395042754");
  });
});

describe("quantities and percents", () => {
  it("trims quantity zeros", () => {
    expect(formatQuantity("1.50000000")).toBe("1.5");
    expect(formatQuantity("1200")).toBe("1,200");
  });
  it("rounds percents half away from zero", () => {
    expect(formatPercent("12.345")).toBe("+12.35%");
    expect(formatPercent("-0.005")).toBe("−0.01%");
    expect(formatPercent(3)).toBe("+3.00%");
  });
});
