import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client";
import type { Transfer } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, Loading, fieldError } from "../../components/Feedback";
import { Money } from "../../components/Money";
import { formatDateTime } from "../../lib/dates";
import { useIdempotencyKey } from "../../lib/idempotency";
import { checkAmountInput, formatMoney, normalizeAmountInput } from "../../lib/money";
import { accountLabel, maskNumber } from "../accounts/AccountCard";
import { payeeItems } from "./Payees";
import { useMoneyMoved, useOpenAccounts } from "./useAccounts";

type Step = "edit" | "review" | "done";

/** TransferFlow sends money: edit → review → result, with one Idempotency-Key per submission. */
export function TransferFlow() {
  const api = useApi();
  const { accounts, isPending } = useOpenAccounts();
  const payees = useQuery({ queryKey: ["payees"], queryFn: api.payees });
  const moved = useMoneyMoved();
  const idem = useIdempotencyKey();
  const [step, setStep] = useState<Step>("edit");
  const [fromID, setFromID] = useState("");
  const [payeeID, setPayeeID] = useState("");
  const [toNumber, setToNumber] = useState("");
  const [amount, setAmount] = useState("");
  const [description, setDescription] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Transfer | null>(null);
  const headRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!fromID && accounts[0]) setFromID(accounts[0].id);
  }, [accounts, fromID]);
  useEffect(() => {
    headRef.current?.focus();
  }, [step]);

  const from = accounts.find((a) => a.id === fromID);
  const payeeList = payeeItems(payees.data);
  const payee = payeeList.find((p) => p.id === payeeID);
  const recipientNumber = payee ? payee.account_number : toNumber.replace(/\s/g, "");
  const body = {
    from_account_id: fromID,
    to_account_number: recipientNumber,
    amount: normalizeAmountInput(amount),
    ...(description.trim() ? { description: description.trim() } : {}),
  };

  function review(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const errs: Record<string, string> = {};
    if (!from) errs.from_account_id = "Choose an account to send from.";
    if (!/^\d{12}$/.test(recipientNumber)) errs.to_account_number = "Enter the 12-digit account number.";
    const bad = from ? checkAmountInput(amount, from.currency) : null;
    if (bad) errs.amount = bad;
    setLocalErrors(errs);
    if (Object.keys(errs).length === 0) setStep("review");
  }

  async function send() {
    setBusy(true);
    setError(null);
    try {
      const res = await api.transfer(body, idem.keyFor(body));
      idem.done();
      setResult(res.transfer);
      setStep("done");
      moved();
    } catch (err) {
      setError(err);
      // Field problems are fixed on the form; others (e.g. insufficient funds) stay on review.
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setStep("edit");
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setStep("edit");
    setAmount("");
    setDescription("");
    setResult(null);
    setError(null);
  }

  if (isPending) return <Loading />;
  const fe = (f: string) => localErrors[f] ?? fieldError(error, f);

  return (
    <section className="panel narrow" aria-labelledby="xfer-h">
      <h2 id="xfer-h" ref={headRef} tabIndex={-1}>
        {step === "edit" ? "Send money" : step === "review" ? "Review your transfer" : "Money sent"}
      </h2>
      {step === "edit" && (
        <form onSubmit={review} noValidate>
          <SelectField label="From" value={fromID} onChange={(e) => setFromID(e.target.value)} error={fe("from_account_id")}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          <SelectField label="To" value={payeeID} onChange={(e) => setPayeeID(e.target.value)}>
            <option value="">Enter an account number</option>
            {payeeList.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({maskNumber(p.account_number)})
              </option>
            ))}
          </SelectField>
          {!payee && (
            <Field
              label="Recipient account number"
              inputMode="numeric"
              autoComplete="off"
              maxLength={14}
              value={toNumber}
              onChange={(e) => setToNumber(e.target.value)}
              error={fe("to_account_number")}
              hint="12 digits. Any BankApp account, including your own."
            />
          )}
          <Field
            label={`Amount${from ? ` (${from.currency})` : ""}`}
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={fe("amount")}
          />
          <Field label="Note (optional)" value={description} maxLength={140} onChange={(e) => setDescription(e.target.value)} error={fe("description")} />
          <ErrorNote error={error} fieldsShown={["from_account_id", "to_account_number", "amount", "description"]} />
          <button type="submit" className="btn btn-primary btn-block">
            Review
          </button>
        </form>
      )}
      {step === "review" && from && (
        <div className="review">
          <dl className="review-list">
            <div>
              <dt>From</dt>
              <dd>{accountLabel(from)}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd>{payee ? `${payee.name} · ${payee.account_number}` : recipientNumber}</dd>
            </div>
            <div>
              <dt>Amount</dt>
              <dd className="review-amount">{formatMoney(body.amount, from.currency)}</dd>
            </div>
            {body.description && (
              <div>
                <dt>Note</dt>
                <dd>{body.description}</dd>
              </div>
            )}
          </dl>
          <ErrorNote error={error} />
          <div className="row-actions">
            <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={busy}>
              {busy ? "Sending…" : `Send ${formatMoney(body.amount, from.currency)}`}
            </button>
            <button type="button" className="btn" onClick={() => setStep("edit")} disabled={busy}>
              Edit
            </button>
          </div>
        </div>
      )}
      {step === "done" && result && (
        <div className="result" role="status">
          <p className="result-amount">
            <Money amount={result.amount} currency={result.currency} /> sent
          </p>
          <p>
            To account {result.to_account_number ?? recipientNumber} on {formatDateTime(result.created_at)}. Reference{" "}
            <span className="mono">{result.id.slice(0, 8)}</span>.
          </p>
          <div className="row-actions">
            <button type="button" className="btn btn-primary" onClick={restart}>
              Send more money
            </button>
            <Link className="btn" to={`/accounts/${result.from_account_id ?? from?.id ?? ""}`}>
              View account
            </Link>
          </div>
        </div>
      )}
    </section>
  );
}
