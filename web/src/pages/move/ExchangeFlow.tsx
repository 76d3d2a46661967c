import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import type { FXExchange, FXQuote } from "../../api/types";
import { useApi } from "../../app/auth";
import { SelectField } from "../../components/Field";
import { Skeleton, fieldError, sentence } from "../../components/Feedback";
import { CircleCheck, CircleExclamationPoint, Clock } from "../../components/icons";
import { MoneyField, readAmount } from "../../components/MoneyField";
import { useIdempotencyKey } from "../../lib/idempotency";
import { formatMoney } from "../../lib/money";
import { accountLabel } from "../accounts/AccountCard";
import { useMoneyMoved, useOpenAccounts } from "./useAccounts";

type Step = "edit" | "quote" | "done";

/** exchangeErrorText says what went wrong with a quote or an exchange in the customer's words. */
export function exchangeErrorText(err: unknown): string {
  if (!(err instanceof ApiError)) return "Something went wrong. Please try again.";
  switch (err.code) {
    case "quote_expired":
      return "This price has expired: prices are held for 30 seconds. Get a new price to continue.";
    case "quote_used":
      return "This price has already been used for an exchange. Check your balances, then get a new price if you want to exchange more.";
    case "insufficient_funds":
      return "There isn't enough money in the account you're exchanging from. Try a smaller amount.";
    case "same_currency":
      return "Both accounts hold the same currency. Choose an account in another currency to exchange into.";
    case "invalid_amount":
      return "That amount can't be exchanged. Check the amount and try again.";
    case "limit_exceeded":
      return sentence(err.detail);
    case "account_frozen":
      return "One of these accounts is frozen, so it can't be used for exchanges. Contact support for help.";
    case "account_closed":
      return "One of these accounts is closed. Choose another account.";
    case "market_data_unavailable":
      return "Exchange rates aren't available right now. Please try again in a moment.";
    case "not_found":
      return "We couldn't find that price or account. Get a new price and try again.";
    case "network_error":
      return "We couldn't reach BankApp. Check your connection and try again; you won't be charged twice.";
    default:
      return sentence(err.detail);
  }
}

/** validation keeps only validation errors, whose field messages are shown beside their inputs. */
function validation(err: unknown): unknown {
  return err instanceof ApiError && err.code === "validation_failed" ? err : null;
}

/** rateLine renders "1 USD = 0.916700 EUR". */
function rateLine(rate: string, from: string, to: string): string {
  return `1 ${from} = ${rate} ${to}`;
}

/** useCountdown counts whole seconds down to deadline (a Date.now() value); 0 once it has passed. */
function useCountdown(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [deadline]);
  if (deadline === null) return 0;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/**
 * ExchangeFlow moves value between the customer's own accounts in different
 * currencies: pick the accounts, type what you sell or what you get, see a
 * price held for 30 seconds (rate, mid-market rate, fee), and confirm. The
 * confirmation carries one Idempotency-Key per quote, so a retry after a lost
 * answer can never exchange twice.
 */
export function ExchangeFlow() {
  const api = useApi();
  const qc = useQueryClient();
  const { accounts, isPending } = useOpenAccounts();
  const moved = useMoneyMoved();
  const idem = useIdempotencyKey();
  const [params] = useSearchParams();
  const usable = accounts.filter((a) => a.status === "active");
  const [fromID, setFromID] = useState(params.get("from") ?? "");
  const [toID, setToID] = useState(params.get("to") ?? "");
  const [by, setBy] = useState<"sell" | "buy">("sell");
  const [sell, setSell] = useState("");
  const [buy, setBuy] = useState("");
  const [showErrors, setShowErrors] = useState(false);
  const [step, setStep] = useState<Step>("edit");
  const [quote, setQuote] = useState<FXQuote | null>(null);
  const [deadline, setDeadline] = useState<number | null>(null);
  const [done, setDone] = useState<FXExchange | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const headRef = useRef<HTMLHeadingElement>(null);
  const left = useCountdown(step === "quote" ? deadline : null);
  const expired = step === "quote" && left === 0;

  const from = usable.find((a) => a.id === fromID);
  const targets = usable.filter((a) => from && a.currency !== from.currency);
  const to = targets.find((a) => a.id === toID);

  useEffect(() => {
    if (!from && usable[0]) {
      // Start from an account that has somewhere to exchange to.
      const withTarget = usable.find((a) => usable.some((b) => b.currency !== a.currency)) ?? usable[0];
      setFromID(withTarget.id);
    }
  }, [usable, from]);
  useEffect(() => {
    if (!to && targets[0]) setToID(targets[0].id);
  }, [targets, to]);
  useEffect(() => {
    if (step !== "edit") headRef.current?.focus();
  }, [step]);

  const sellParsed = readAmount(sell, from?.currency ?? "USD");
  const buyParsed = readAmount(buy, to?.currency ?? "EUR");
  const typed = by === "sell" ? sellParsed : buyParsed;

  async function getQuote(e?: FormEvent) {
    e?.preventDefault();
    if (busy || !from || !to) return;
    setShowErrors(true);
    setError(null);
    if (!typed.ok) return;
    setBusy(true);
    try {
      const body = { from_account_id: from.id, to_account_id: to.id, ...(by === "sell" ? { sell_amount: typed.value } : { buy_amount: typed.value }) };
      const res = await api.createFXQuote(body);
      const q = res.quote;
      // The price is held for expires_at − created_at (30 s); count it from now, whatever this device's clock says.
      const held = Math.max(0, Date.parse(q.expires_at) - Date.parse(q.created_at));
      setQuote(q);
      setDeadline(Date.now() + held);
      setStep("quote");
    } catch (err) {
      setError(err);
      setStep("edit");
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (busy || !quote || expired) return;
    setBusy(true);
    setError(null);
    const body = { quote_id: quote.id };
    try {
      // The same quote keeps the same key: a retry after a lost answer replays, never exchanges twice.
      const res = await api.createFXExchange(quote.id, idem.keyFor(body));
      idem.done();
      setDone(res.exchange);
      setStep("done");
      moved();
      void qc.invalidateQueries({ queryKey: ["overview"] });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && (err.code === "quote_used" || err.code === "quote_expired")) {
        idem.done();
        if (err.code === "quote_used") {
          moved();
          void qc.invalidateQueries({ queryKey: ["overview"] });
        }
      }
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setStep("edit");
    setQuote(null);
    setDone(null);
    setSell("");
    setBuy("");
    setShowErrors(false);
    setError(null);
  }

  if (isPending) return <Skeleton lines={4} label="Loading your accounts…" />;
  const currencies = new Set(usable.map((a) => a.currency));
  if (currencies.size < 2) {
    return (
      <section className="panel narrow flow" aria-labelledby="fx-h">
        <h2 id="fx-h">Exchange currencies</h2>
        <p>To exchange, you need accounts in two currencies. Open a euro or pound account, then come back here.</p>
        <Link className="btn btn-primary" to="/accounts">
          Open an account
        </Link>
      </section>
    );
  }

  const codeError = error instanceof ApiError ? error : null;
  const quoteGone = codeError?.code === "quote_expired" || codeError?.code === "quote_used" || expired;

  return (
    <section className="panel narrow flow" aria-labelledby="fx-h">
      <h2 id="fx-h" ref={headRef} tabIndex={-1}>
        {step === "edit" ? "Exchange currencies" : step === "quote" ? "Review your exchange" : "Exchange complete"}
      </h2>
      {step === "edit" && (
        <form onSubmit={(e) => void getQuote(e)} noValidate>
          <SelectField
            label="From"
            value={fromID}
            onChange={(e) => {
              setFromID(e.target.value);
              setError(null);
            }}
            error={fieldError(validation(error), "from_account_id")}
          >
            {usable.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          <SelectField label="To" value={toID} onChange={(e) => setToID(e.target.value)} error={fieldError(validation(error), "to_account_id")}>
            {targets.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          {from && to && (
            <>
              <MoneyField
                label={`You sell (${from.currency})`}
                currency={from.currency}
                value={sell}
                onChange={(v) => {
                  setSell(v);
                  setBuy("");
                  setBy("sell");
                }}
                verb="You sell"
                showErrors={showErrors && by === "sell"}
                error={by === "sell" ? fieldError(validation(error), "sell_amount") : null}
                hint={by === "buy" && buy ? "Worked out from the amount you get when you ask for a price." : undefined}
              />
              <MoneyField
                label={`You get (${to.currency})`}
                currency={to.currency}
                value={buy}
                onChange={(v) => {
                  setBuy(v);
                  setSell("");
                  setBy("buy");
                }}
                verb="You get"
                showErrors={showErrors && by === "buy"}
                error={by === "buy" ? fieldError(validation(error), "buy_amount") : null}
                hint={by === "sell" && sell ? "Worked out from the amount you sell when you ask for a price." : undefined}
              />
            </>
          )}
          {error !== null && !(error instanceof ApiError && error.code === "validation_failed" && Object.keys(error.fields).length > 0) && (
            <p className="note note-error" role="alert">
              <CircleExclamationPoint aria-hidden="true" className="note-icon" />
              <span>{exchangeErrorText(error)}</span>
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || !from || !to}>
            {busy ? "Getting a price…" : "Get a price"}
          </button>
        </form>
      )}
      {step === "quote" && quote && from && to && (
        <div className="review">
          <p className="review-amount" data-testid="fx-summary">
            {formatMoney(quote.sell_amount, quote.sell_currency)} → {formatMoney(quote.buy_amount, quote.buy_currency)}
          </p>
          <dl className="review-list">
            <div>
              <dt>You sell</dt>
              <dd data-testid="fx-sell">{formatMoney(quote.sell_amount, quote.sell_currency)}</dd>
            </div>
            <div>
              <dt>You get</dt>
              <dd data-testid="fx-buy">{formatMoney(quote.buy_amount, quote.buy_currency)}</dd>
            </div>
            <div>
              <dt>Your rate</dt>
              <dd data-testid="fx-rate">{rateLine(quote.rate, quote.sell_currency, quote.buy_currency)}</dd>
            </div>
            <div>
              <dt>Mid-market rate</dt>
              <dd>
                {rateLine(quote.mid_rate, quote.sell_currency, quote.buy_currency)}
                <span className="muted block small">The rate banks trade at, before our spread.</span>
              </dd>
            </div>
            <div>
              <dt>Fee (included)</dt>
              <dd data-testid="fx-fee">{formatMoney(quote.fee, quote.fee_currency)}</dd>
            </div>
            <div>
              <dt>From</dt>
              <dd>{accountLabel(from)}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd>{accountLabel(to)}</dd>
            </div>
          </dl>
          {!quoteGone ? (
            <p className="note note-info" role="timer" aria-live="off" data-testid="fx-countdown">
              <Clock aria-hidden="true" className="note-icon" />
              <span>{`This price is held for ${left} s.`}</span>
            </p>
          ) : (
            <p className="note note-error" role="alert" data-testid="fx-expired">
              <CircleExclamationPoint aria-hidden="true" className="note-icon" />
              <span>{error ? exchangeErrorText(error) : exchangeErrorText(new ApiError(410, { code: "quote_expired" }))}</span>
            </p>
          )}
          {error !== null && !quoteGone && (
            <p className="note note-error" role="alert">
              <CircleExclamationPoint aria-hidden="true" className="note-icon" />
              <span>{exchangeErrorText(error)}</span>
            </p>
          )}
          <div className="row-actions">
            {quoteGone ? (
              <button type="button" className="btn btn-primary" onClick={() => void getQuote()} disabled={busy}>
                {busy ? "Getting a price…" : "Get a new price"}
              </button>
            ) : (
              <button type="button" className="btn btn-primary" onClick={() => void confirm()} disabled={busy}>
                {busy ? "Exchanging…" : `Exchange ${formatMoney(quote.sell_amount, quote.sell_currency)}`}
              </button>
            )}
            <button type="button" className="btn" onClick={() => setStep("edit")} disabled={busy}>
              Edit
            </button>
          </div>
        </div>
      )}
      {step === "done" && done && (
        <div className="result" role="status">
          <span className="result-icon" aria-hidden="true">
            <CircleCheck />
          </span>
          <p className="result-amount">
            {formatMoney(done.sell_amount, done.sell_currency)} exchanged for {formatMoney(done.buy_amount, done.buy_currency)}
          </p>
          <p>
            At {rateLine(done.rate, done.sell_currency, done.buy_currency)}, fee {formatMoney(done.fee, done.fee_currency)} included. Reference{" "}
            <span className="mono">{done.id.slice(0, 8)}</span>.
          </p>
          <div className="row-actions">
            <button type="button" className="btn btn-primary" onClick={restart}>
              Exchange more
            </button>
            <Link className="btn" to={`/accounts/${done.to_account_id}`}>
              View account
            </Link>
          </div>
        </div>
      )}
      {step === "edit" && (
        <p className="muted small">
          Our rate includes a small spread over the mid-market rate; you see the exact amounts before you confirm.
        </p>
      )}
    </section>
  );
}
