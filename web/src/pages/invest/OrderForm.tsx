import { type FormEvent, useState } from "react";
import type { Account, Holding, Order, Quote } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, SuccessNote, fieldError } from "../../components/Feedback";
import { MoneyField, readAmount } from "../../components/MoneyField";
import { Segmented } from "../../components/Segmented";
import { type Dec, mul, parseDec, rescale, toPlain } from "../../lib/decimal";
import { useIdempotencyKey } from "../../lib/idempotency";
import { formatMoney, formatQuantity } from "../../lib/money";
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
  const num = n.units * 10n ** BigInt(8 + p.scale);
  const den = p.units * 10n ** BigInt(n.scale);
  const q: Dec = { units: num / den, scale: 8 };
  return toPlain(q);
}

const SIDES = [
  { value: "buy", label: "Buy" },
  { value: "sell", label: "Sell" },
] as const;
const MODES = [
  { value: "notional", label: "Amount" },
  { value: "quantity", label: "Quantity" },
] as const;

/** OrderForm builds a buy or sell order, previews it at the current quote, then places it. */
export function OrderForm({ symbol, quote, brokerage, holding }: { symbol: string; quote: Quote; brokerage: Account[]; holding: Holding | null }) {
  const api = useApi();
  const moved = useMoneyMoved();
  const idem = useIdempotencyKey();
  const [side, setSide] = useState<"buy" | "sell">("buy");
  const [mode, setMode] = useState<"quantity" | "notional">("notional");
  const [accountID, setAccountID] = useState(brokerage[0]?.id ?? "");
  const [value, setValue] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [preview, setPreview] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const account = brokerage.find((a) => a.id === accountID);
  // A EUR or GBP account trading a USD instrument converts at our exchange rate (mid-market less the spread).
  const converts = account !== undefined && account.currency !== quote.currency;
  const parsedAmount = readAmount(value, quote.currency);
  const input = mode === "notional" ? (parsedAmount.ok ? parsedAmount.value : "") : value.trim();
  const estQty = mode === "quantity" ? input : estimateQuantity(input, quote.price);
  const estTotal =
    mode === "notional" ? input : toPlain(rescale(mul(parseDec(input) ?? { units: 0n, scale: 0 }, parseDec(quote.price) ?? { units: 0n, scale: 0 }), 2));
  const body = { account_id: accountID, symbol, side, ...(mode === "quantity" ? { quantity: input } : { notional: input }) };

  function review(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setOrder(null);
    setShowErrors(true);
    const bad = mode === "quantity" ? checkQuantity(value) : parsedAmount.ok ? null : parsedAmount.error;
    setLocalError(mode === "quantity" ? bad : null);
    if (!bad) setPreview(true);
  }

  async function place() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.placeOrder(body, idem.keyFor(body));
      idem.done();
      setOrder(res.order);
      setPreview(false);
      setValue("");
      setShowErrors(false);
      moved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="order">
      {!preview ? (
        <form onSubmit={review} noValidate className="order-form">
          <div className="segment-row">
            <Segmented label="Buy or sell" options={SIDES} value={side} onChange={setSide} size="large" />
            <Segmented label="Order by" options={MODES} value={mode} onChange={setMode} size="large" />
          </div>
          {brokerage.length > 1 && (
            <SelectField label="Brokerage account" value={accountID} onChange={(e) => setAccountID(e.target.value)} error={fieldError(error, "account_id")}>
              {brokerage.map((a) => (
                <option key={a.id} value={a.id}>
                  {accountLabel(a)}
                </option>
              ))}
            </SelectField>
          )}
          {mode === "notional" ? (
            <MoneyField
              label={`Amount (${quote.currency})`}
              currency={quote.currency}
              value={value}
              onChange={setValue}
              verb={side === "buy" ? "You invest" : "You sell for"}
              showErrors={showErrors}
              error={fieldError(error, "notional")}
            />
          ) : (
            <Field
              label="Quantity"
              inputMode="decimal"
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              error={localError ?? fieldError(error, "quantity")}
              hint={side === "sell" && holding ? `You hold ${formatQuantity(holding.quantity)}.` : undefined}
            />
          )}
          <p className="muted small">
            Cash available: {account ? formatMoney(account.available_balance, account.currency) : "—"}
            {converts && account ? ` · converted to ${quote.currency} at our exchange rate when the order fills` : ""}
          </p>
          <ErrorNote error={error} fieldsShown={["account_id", "quantity", "notional"]} />
          <button type="submit" className="btn btn-primary btn-block">
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
              <dd>
                {formatMoney(quote.price, quote.currency, { minDigits: true })} <span className="muted block small">Fills at the live price when you place it.</span>
              </dd>
            </div>
            <div>
              <dt>Estimated total</dt>
              <dd className="review-total">{formatMoney(estTotal, quote.currency)}</dd>
            </div>
            <div>
              <dt>Account</dt>
              <dd>{account ? accountLabel(account) : "—"}</dd>
            </div>
          </dl>
          {converts && account && (
            <p className="note note-info" data-testid="order-fx-note">
              {`${symbol} trades in ${quote.currency} and this account holds ${account.currency}: the order converts at our exchange rate when it fills (the mid-market rate less our spread). ${
                side === "buy" ? `You pay in ${account.currency}` : `You receive ${account.currency}`
              }; the exact amount and rate are shown once it's placed.`}
            </p>
          )}
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
          {formatMoney(order.price, order.currency, { minDigits: true })}, total {formatMoney(order.total, order.currency)}.
          {order.fx && (
            <span className="block" data-testid="order-fx">
              {order.side === "buy"
                ? `Paid ${formatMoney(order.fx.sell_amount, order.fx.sell_currency)} at 1 ${order.fx.sell_currency} = ${order.fx.rate} ${order.fx.buy_currency}`
                : `Received ${formatMoney(order.fx.buy_amount, order.fx.buy_currency)} at 1 ${order.fx.sell_currency} = ${order.fx.rate} ${order.fx.buy_currency}`}
              {` (mid-market ${order.fx.mid_rate}; conversion fee ${formatMoney(order.fx.fee, order.fx.fee_currency)} included).`}
            </span>
          )}
        </SuccessNote>
      )}
    </div>
  );
}
