import { describe, expect, it } from "vitest";
import { decimalComma, localeUsesDecimalComma, parseAmountInput } from "./amount";

const ok = (value: string) => ({ ok: true, value });

describe("parseAmountInput: a dollar field in an English browser (decimal point)", () => {
  it.each([
    ["12.50", "12.50"],
    ["12.5", "12.50"],
    ["12", "12.00"],
    ["1,234.50", "1234.50"],
    ["1,234", "1234.00"],
    ["1,234,567.89", "1234567.89"],
    ["$12.50", "12.50"],
    [" 0.01 ", "0.01"],
    ["1 234.50", "1234.50"],
    [".5", "0.50"],
  ])("%j → %s", (input, value) => {
    expect(parseAmountInput(input, "USD", false)).toEqual(ok(value));
  });

  it.each([
    ["12,50", "In USD, cents follow a point: type 12.50, not 12,50."],
    ["12,5", "In USD, cents follow a point: type 12.50, not 12,5."],
    ["12,5,0", "Check the thousands separators. Type the amount like 1,234.50."],
    ["1,23,4", "Check the thousands separators. Type the amount like 1,234.50."],
    ["1.2.3", "Use one decimal point, like 1,234.50."],
    ["12.345", "Use at most 2 decimal places, like 12.50."],
    ["", "Enter an amount."],
    ["abc", "Use only digits and a decimal point, like 1,234.50."],
    ["-5", "Enter the amount without a sign, like 25.00."],
    ["0", "The amount must be more than zero."],
    ["12.", "Add the cents after the separator, or remove it."],
    ["1000000000.01", "The amount can be at most $1,000,000,000.00."],
  ])("refuses %j: %s", (input, error) => {
    expect(parseAmountInput(input, "USD", false)).toEqual({ ok: false, error });
  });
});

describe("parseAmountInput: a euro field (decimal comma accepted)", () => {
  it.each([
    ["12,50", "12.50"],
    ["12.50", "12.50"],
    ["12,5", "12.50"],
    ["1.234,50", "1234.50"],
    ["1,234.50", "1234.50"],
    ["1 234,50", "1234.50"],
    ["1.234.567", "1234567.00"],
    ["12,50 €", "12.50"],
    ["1234", "1234.00"],
    ["0,99", "0.99"],
  ])("%j → %s", (input, value) => {
    expect(parseAmountInput(input, "EUR", true)).toEqual(ok(value));
  });

  it.each([
    ["1,234", "“1,234” is unclear here: type 1234 for €1,234.00, or write the cents with 2 digits, like 1,23."],
    ["1.234", "“1.234” is unclear here: type 1234 for €1,234.00, or write the cents with 2 digits, like 1.23."],
    ["12,5,0", "“12,5,0” isn't a clear amount. Type it like 1.234,50 or 1234.50."],
    ["1.234.5", "“1.234.5” isn't a clear amount. Type it like 1.234,50 or 1234.50."],
    ["1,2.3,4", "“1,2.3,4” isn't a clear amount. Type it like 1.234,50 or 1234.50."],
    ["12,345", "“12,345” is unclear here: type 12345 for €12,345.00, or write the cents with 2 digits, like 12,34."],
    ["0,001", "Use at most 2 decimal places, like 12,50."],
  ])("refuses %j", (input, error) => {
    expect(parseAmountInput(input, "EUR", true)).toEqual({ ok: false, error });
  });
});

describe("which fields take a decimal comma", () => {
  it("euros always, dollars and pounds when the browser's locale writes one", () => {
    expect(decimalComma("EUR", "en-US")).toBe(true);
    expect(decimalComma("USD", "en-US")).toBe(false);
    expect(decimalComma("GBP", "en-GB")).toBe(false);
    expect(decimalComma("USD", "de-DE")).toBe(true);
    expect(localeUsesDecimalComma("fr-FR")).toBe(true);
    expect(localeUsesDecimalComma("ja-JP")).toBe(false);
  });
});
