import { describe, expect, it } from "vitest";
import { checkAmountInput, formatMoney, formatPercent, formatQuantity, sumAmounts, toMinorUnits } from "./money";
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

describe("amount input", () => {
  it("accepts currency-sized decimals", () => {
    expect(checkAmountInput("12.5", "USD")).toBeNull();
    expect(checkAmountInput("1,000.00", "USD")).toBeNull();
    expect(toMinorUnits("12.5", "USD")).toBe(1250n);
  });

  it.each([
    ["", "Enter an amount."],
    ["abc", "Enter a positive amount, like 25.00."],
    ["-5", "Enter a positive amount, like 25.00."],
    ["1.234", "Use at most 2 decimal places."],
    ["0.00", "The amount must be more than zero."],
    ["1000000000.01", "The amount is too large."],
  ])("refuses %j", (input, msg) => {
    expect(checkAmountInput(input, "USD")).toBe(msg);
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
