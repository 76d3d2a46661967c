// Reading a typed money amount without ever misreading it.
//
// "12,50" is twelve euros fifty in Berlin and nonsense in New York; "1,234"
// is a thousand and more in New York and ambiguous in a euro field. The rule:
// a field accepts a decimal point always, and a decimal comma only where the
// currency's or the browser's convention uses one (decimalComma). Anything
// that can be read two ways, or not at all, is refused with a message that
// says how to type it; nothing is ever guessed.
import { CURRENCIES, formatMoney } from "./money";

/** AmountResult is a parsed amount ("12.50", a plain decimal for the API) or why it was refused. */
export type AmountResult = { ok: true; value: string } | { ok: false; error: string };

const MAX_MINOR = 100_000_000_000n; // 1,000,000,000.00, the API's limit

/** commaCurrencies use a decimal comma by convention (euro area). */
const COMMA_CURRENCIES = new Set(["EUR"]);

const commaLocales = new Map<string, boolean>();

/** localeUsesDecimalComma reports whether a BCP 47 locale writes 1.5 as "1,5". */
export function localeUsesDecimalComma(locale: string | undefined): boolean {
  if (!locale) return false;
  let v = commaLocales.get(locale);
  if (v === undefined) {
    try {
      v = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value === ",";
    } catch {
      v = false;
    }
    commaLocales.set(locale, v);
  }
  return v;
}

/** decimalComma decides whether a field in currency accepts "12,50" as 12.50. */
export function decimalComma(currency: string, locale: string | undefined = browserLocale()): boolean {
  return COMMA_CURRENCIES.has(currency) || localeUsesDecimalComma(locale);
}

function browserLocale(): string | undefined {
  return typeof navigator !== "undefined" ? navigator.language : undefined;
}

function digitsOf(currency: string): number {
  return (CURRENCIES as Record<string, { digits: number }>)[currency]?.digits ?? 2;
}

const GROUPED = (sep: string) => new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`);

/** example is how a correct amount looks in this field. */
export function amountExample(comma: boolean): string {
  return comma ? "1.234,50 or 1234.50" : "1,234.50";
}

/**
 * parseAmountInput reads what a customer typed in a field of currency.
 * comma says whether a decimal comma is accepted (decimalComma by default).
 */
export function parseAmountInput(input: string, currency: string, comma = decimalComma(currency)): AmountResult {
  const digits = digitsOf(currency);
  const fail = (error: string): AmountResult => ({ ok: false, error });
  let s = input.trim();
  // A currency sign or code around the number is fine: "$12.50", "12,50 €", "EUR 5".
  s = s.replace(/^(?:[$€£]|USD|EUR|GBP)\s*/i, "").replace(/\s*(?:[$€£]|USD|EUR|GBP)$/i, "").trim();
  if (s === "") return fail("Enter an amount.");
  if (/^[-−+]/.test(s)) return fail("Enter the amount without a sign, like 25.00.");
  // Spaces (also no-break and thin) and apostrophes group thousands: "1 234,50", "1'234.50".
  if (/[\s\u00a0\u202f']/.test(s)) {
    const compact = s.replace(/[\s\u00a0\u202f']/g, " ");
    const [intPart] = compact.split(/[.,]/);
    if (!/^\d{1,3}( \d{3})+$/.test(intPart ?? "")) return fail(`Check the spaces in the amount. Type it like ${amountExample(comma)}.`);
    s = compact.replace(/ /g, "");
  }
  if (!/^[\d.,]+$/.test(s)) return fail(`Use only digits and a decimal ${comma ? "point or comma" : "point"}, like ${amountExample(comma)}.`);
  if (!/\d/.test(s)) return fail("Enter an amount.");

  const dots = s.split(".").length - 1;
  const commas = s.split(",").length - 1;
  let intPart: string;
  let frac = "";
  if (!comma) {
    // Point for decimals, comma for thousands.
    if (dots > 1) return fail("Use one decimal point, like 1,234.50.");
    const [i = "", f] = s.split(".");
    if (f !== undefined) frac = f;
    if (commas > 0) {
      if (dots === 0 && commas === 1 && /,\d{1,2}$/.test(s)) {
        const [w, c] = s.split(",");
        return fail(`In ${currency}, cents follow a point: type ${w}.${(c ?? "").padEnd(2, "0")}, not ${s}.`);
      }
      if (!GROUPED(",").test(i)) return fail("Check the thousands separators. Type the amount like 1,234.50.");
    }
    intPart = i.replace(/,/g, "");
  } else if (dots > 0 && commas > 0) {
    // Both: the last one is the decimal separator, the other groups thousands.
    const dec = s.lastIndexOf(".") > s.lastIndexOf(",") ? "." : ",";
    const group = dec === "." ? "," : ".";
    if (s.split(dec).length - 1 > 1) return fail(`“${s}” isn't a clear amount. Type it like ${amountExample(comma)}.`);
    const [i = "", f = ""] = s.split(dec);
    if (!GROUPED(group).test(i)) return fail(`“${s}” isn't a clear amount. Type it like ${amountExample(comma)}.`);
    intPart = i.split(group).join("");
    frac = f;
  } else if (dots + commas === 0) {
    intPart = s;
  } else {
    const sep = dots > 0 ? "." : ",";
    const count = dots + commas;
    const [i = "", ...rest] = s.split(sep);
    if (count > 1) {
      // Only thousands can repeat: "1.234.567"; "12,5,0" is nobody's amount.
      if (!GROUPED(sep).test(s)) return fail(`“${s}” isn't a clear amount. Type it like ${amountExample(comma)}.`);
      intPart = s.split(sep).join("");
    } else {
      const f = rest[0] ?? "";
      if (f.length === 3 && i.length > 0 && i.length <= 3 && i !== "0") {
        const asThousands = `${i}${f}`;
        return fail(
          `“${s}” is unclear here: type ${asThousands} for ${formatMoney(asThousands, currency)}, ` +
            `or write the cents with ${digits} digits, like ${i}${sep}${f.slice(0, digits)}.`,
        );
      }
      intPart = i;
      frac = f;
    }
  }
  if (intPart === "" && frac === "") return fail("Enter an amount.");
  if (frac === "" && /[.,]$/.test(s)) return fail(`Add the ${digits === 2 ? "cents" : "decimals"} after the separator, or remove it.`);
  if (frac.length > digits) return fail(`Use at most ${digits} decimal places, like ${comma ? "12,50" : "12.50"}.`);
  const whole = (intPart || "0").replace(/^0+(?=\d)/, "");
  const value = `${whole}.${frac.padEnd(digits, "0")}`;
  const minor = BigInt(whole + frac.padEnd(digits, "0"));
  if (minor <= 0n) return fail("The amount must be more than zero.");
  if (minor > MAX_MINOR) return fail(`The amount can be at most ${formatMoney("1000000000", currency)}.`);
  return { ok: true, value };
}
