import { type FormEvent, useState } from "react";
import type { Account, Order, Quote } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, SuccessNote, fieldError } from "../../components/Feedback";
import { type Dec, mul, parseDec, rescale, toPlain } from "../../lib/decimal";
import { useIdempotencyKey } from "../../lib/idempotency";
import { checkAmountInput, formatMoney, formatQuantity, normalizeAmountInput } from "../../lib/money";
import { accountLabel } from "../accounts/AccountCard";
import { useMoneyMoved } from "../move/useAccounts";

/** checkQuantity validates a typed quantity: positive, at most 8 decimals. */
export function checkQuantity(q: string): string | null {
  const d = parseDec(q.trim());
  if (!d || q.trim().startsWith("-")) return "Enter a quantity, like 1 or 0.5.";
  if (d.scale > 8) return "Use at most 8 decimal places.";
  if (d.units <= 0n) return "The quantity must be more than zero.";
  return null;
}

/** estimateQuantity divides a cash amount by a price, truncated to 8 decimals. */
export function estimateQuantity(notional: string, price: string): string {
  const n = parseDec(notional);
  const p = parseDec(price);
  if (!n || !p || p.units === 0n) return "0";
  // n/p at scale 8: (n.units × 10^(8 + p.scale)) / (p.units × 10^n.scale)
  const num = n.units * 10n ** BigInt(8 + p.scale);
  const den = p.units * 10n ** BigInt(n.scale);
  const q: Dec = { units: num / den, scale: 8 };
  return toPlain(q);
}

/** OrderForm builds a buy or sell order, previews it at the current quote, then places it. */
export function OrderForm({ symbol, quote, brokerage }: { symbol: string; quote: Quote; brokerage: Account[] }) {
  const api = useApi();
  const moved = useMoneyMoved();
  const idem = useIdempotencyKey();
  const [side, setSide] = useState<"buy" | "sell">("buy");
  const [mode, setMode] = useState<"quantity" | "notional">("quantity");
  const [accountID, setAccountID] = useState(brokerage[0]?.id ?? "");
  const [value, setValue] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const [preview, setPreview] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const account = brokerage.find((a) => a.id === accountID);
  const input = mode === "notional" ? normalizeAmountInput(value) : value.trim();
  const estQty = mode === "quantity" ? input : estimateQuantity(input, quote.price);
  const estTotal =
    mode === "notional" ? input : toPlain(rescale(mul(parseDec(input) ?? { units: 0n, scale: 0 }, parseDec(quote.price) ?? { units: 0n, scale: 0 }), 2));
  const body = { account_id: accountID, symbol, side, ...(mode === "quantity" ? { quantity: input } : { notional: input }) };

  function review(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setOrder(null);
    const bad = mode === "quantity" ? checkQuantity(value) : checkAmountInput(value, quote.currency);
    setLocalError(bad);
    if (!bad) setPreview(true);
  }

  async function place() {
    setBusy(true);
    setError(null);
    try {
      const res = await api.placeOrder(body, idem.keyFor(body));
      idem.done();
      setOrder(res.order);
      setPreview(false);
      setValue("");
      moved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="order" aria-labelledby="order-h">
      <h3 id="order-h">Trade {symbol}</h3>
      {!preview ? (
        <form onSubmit={review} noValidate className="order-form">
          <fieldset className="segmented">
            <legend>Side</legend>
            <label>
              <input type="radio" name="side" value="buy" checked={side === "buy"} onChange={() => setSide("buy")} /> Buy
            </label>
            <label>
              <input type="radio" name="side" value="sell" checked={side === "sell"} onChange={() => setSide("sell")} /> Sell
            </label>
          </fieldset>
          <fieldset className="segmented">
            <legend>Order by</legend>
            <label>
              <input type="radio" name="mode" value="quantity" checked={mode === "quantity"} onChange={() => setMode("quantity")} /> Quantity
            </label>
            <label>
              <input type="radio" name="mode" value="notional" checked={mode === "notional"} onChange={() => setMode("notional")} /> Amount
            </label>
          </fieldset>
          <SelectField label="Brokerage account" value={accountID} onChange={(e) => setAccountID(e.target.value)} error={fieldError(error, "account_id")}>
            {brokerage.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          <Field
            label={mode === "quantity" ? "Quantity" : `Amount (${quote.currency})`}
            inputMode="decimal"
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            error={localError ?? fieldError(error, mode)}
          />
          <ErrorNote error={error} fieldsShown={["account_id", "quantity", "notional"]} />
          <button type="submit" className="btn btn-primary">
            Preview order
          </button>
        </form>
      ) : (
        <div className="review">
          <dl className="review-list">
            <div>
              <dt>Order</dt>
              <dd>
                {side === "buy" ? "Buy" : "Sell"} {formatQuantity(estQty)} {symbol}
                {mode === "notional" ? " (estimated)" : ""}
              </dd>
            </div>
            <div>
              <dt>Price</dt>
              <dd>{formatMoney(quote.price, quote.currency)} (current quote; the order fills at the live price)</dd>
            </div>
            <div>
              <dt>Estimated total</dt>
              <dd className="review-amount">{formatMoney(estTotal, quote.currency)}</dd>
            </div>
            <div>
              <dt>Account</dt>
              <dd>{account ? accountLabel(account) : "—"}</dd>
            </div>
          </dl>
          <ErrorNote error={error} />
          <div className="row-actions">
            <button type="button" className="btn btn-primary" onClick={() => void place()} disabled={busy}>
              {busy ? "Placing…" : `Place ${side} order`}
            </button>
            <button type="button" className="btn" onClick={() => setPreview(false)} disabled={busy}>
              Edit
            </button>
          </div>
        </div>
      )}
      {order && (
        <SuccessNote>
          Order filled: {order.side === "buy" ? "bought" : "sold"} {formatQuantity(order.quantity)} {order.symbol} at{" "}
          {formatMoney(order.price, quote.currency)}, total {formatMoney(order.total, quote.currency)}.
        </SuccessNote>
      )}
    </div>
  );
}
