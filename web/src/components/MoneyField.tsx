import { type ReactNode, useId, useState } from "react";
import { type AmountResult, amountExample, decimalComma, parseAmountInput } from "../lib/amount";
import { CURRENCIES, formatMoney } from "../lib/money";

/** readAmount parses a MoneyField's text the way the field shows it. */
export function readAmount(text: string, currency: string): AmountResult {
  return parseAmountInput(text, currency);
}

/**
 * MoneyField is an amount input that cannot misread: it shows, as you type,
 * the amount it understood ("You send €12.50"), and says what is wrong with
 * anything ambiguous once you leave the field or submit (see lib/amount.ts).
 */
export function MoneyField({
  label,
  currency,
  value,
  onChange,
  verb,
  error,
  hint,
  showErrors = false,
  id,
}: {
  label?: string;
  currency: string;
  value: string;
  onChange: (v: string) => void;
  /** verb starts the preview: "You send", "You deposit". */
  verb: string;
  /** error is a message from the server for this field. */
  error?: string | null;
  hint?: ReactNode;
  /** showErrors shows the parse error before the field is left (after a submit). */
  showErrors?: boolean;
  id?: string;
}) {
  const auto = useId();
  const fid = id ?? auto;
  const [left, setLeft] = useState(false);
  const parsed = value.trim() === "" ? null : parseAmountInput(value, currency);
  const comma = decimalComma(currency);
  let message: string | null | undefined = error;
  if (parsed && !parsed.ok && (left || showErrors)) message = parsed.error;
  else if (!parsed && showErrors) message = "Enter an amount.";
  const preview = parsed?.ok ? `${verb} ${formatMoney(parsed.value, currency)}` : "";
  const symbol = (CURRENCIES as Record<string, { symbol: string }>)[currency]?.symbol ?? "";
  const ids = [`${fid}-preview`, hint ? `${fid}-hint` : "", message ? `${fid}-err` : ""].filter(Boolean).join(" ");
  return (
    <div className="field money-field">
      <label htmlFor={fid}>{label ?? `Amount (${currency})`}</label>
      <div className={`money-input${message ? " invalid" : ""}`}>
        {symbol && (
          <span className="money-symbol" aria-hidden="true">
            {symbol}
          </span>
        )}
        <input
          id={fid}
          inputMode="decimal"
          autoComplete="off"
          placeholder={comma ? "0,00" : "0.00"}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => setLeft(true)}
          onFocus={() => setLeft(false)}
          aria-invalid={message ? true : undefined}
          aria-describedby={ids}
        />
        <span className="money-code" aria-hidden="true">
          {currency}
        </span>
      </div>
      <p className="money-preview" id={`${fid}-preview`} aria-live="polite" data-testid="amount-preview">
        {preview}
      </p>
      {hint && (
        <p className="hint" id={`${fid}-hint`}>
          {hint}
        </p>
      )}
      {!hint && !message && !preview && (
        <p className="hint visually-hidden">{`Type the amount like ${amountExample(comma)}.`}</p>
      )}
      {message && (
        <p className="field-error" id={`${fid}-err`}>
          {message}
        </p>
      )}
    </div>
  );
}
