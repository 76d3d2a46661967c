import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import type { Account, Recipient as Holder, Transfer } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, Skeleton, fieldError } from "../../components/Feedback";
import { ArrowLeftRight, CircleCheck, CircleExclamationPoint, Info } from "../../components/icons";
import { Money } from "../../components/Money";
import { MoneyField, readAmount } from "../../components/MoneyField";
import { accountNumberProblem } from "../../lib/accountNumber";
import { formatDateTime } from "../../lib/dates";
import { useIdempotencyKey } from "../../lib/idempotency";
import { formatMoney } from "../../lib/money";
import { accountLabel, maskNumber } from "../accounts/AccountCard";
import { type Recipient, RecipientPicker, recipientOf } from "./RecipientPicker";
import { useMoneyMoved, useOpenAccounts, usePayees } from "./useAccounts";

type Step = "edit" | "review" | "done";

type Api = ReturnType<typeof useApi>;

/**
 * recipientQuery is the name-and-currency check of an account number, cached
 * per number: the form runs it as soon as a valid number is chosen (to say at
 * once when the currencies differ) and the review reuses the answer, so a
 * transfer costs one lookup from the customer's small lookup bucket.
 */
function recipientQuery(api: Api, number: string) {
  return { queryKey: ["recipient", number], queryFn: () => api.lookupRecipient(number), staleTime: 5 * 60_000, retry: false } as const;
}

/**
 * CurrencyMismatch says at once that a transfer cannot change currency and
 * offers what can: the Exchange flow (prefilled with both accounts when the
 * recipient is the customer's own, or with the customer's account in the
 * recipient's currency), or sending from an account in that currency.
 */
function CurrencyMismatch({ from, toCurrency, own, accounts, onSendFrom }: { from: Account; toCurrency: string; own?: Account; accounts: Account[]; onSendFrom: (id: string) => void }) {
  const active = accounts.filter((a) => a.status === "active");
  // Where an exchange would put the money: the chosen own account, else the customer's first account in that currency.
  const into = own ?? active.find((a) => a.currency === toCurrency && a.type !== "brokerage") ?? active.find((a) => a.currency === toCurrency);
  // Another way for someone else's account: send from the customer's account that already holds that currency.
  const sendFrom = own ? undefined : active.find((a) => a.currency === toCurrency && a.id !== from.id);
  const exchangeTo = into ? `/move/exchange?from=${encodeURIComponent(from.id)}&to=${encodeURIComponent(into.id)}` : "";
  return (
    <div className="note note-error mismatch" role="alert" data-testid="currency-mismatch">
      <CircleExclamationPoint aria-hidden="true" className="note-icon" />
      <div>
        <p>
          {own
            ? `${own.name} holds ${toCurrency} and ${from.name} holds ${from.currency}, and a transfer can't change currency. Exchange instead: you'll see the rate and the fee before you confirm.`
            : `This account holds ${toCurrency}, and ${from.name} holds ${from.currency}: a transfer can't change currency. ${
                sendFrom ? `Send from your ${toCurrency} account, or exchange into it first.` : `Exchange into a ${toCurrency} account of yours first, then send from it.`
              }`}
        </p>
        <p className="row-actions">
          {into ? (
            <Link className="btn btn-small" to={exchangeTo}>
              <ArrowLeftRight aria-hidden="true" />
              {`Exchange ${from.currency} to ${toCurrency}`}
            </Link>
          ) : (
            <Link className="btn btn-small" to="/accounts">
              {`Open a ${toCurrency} account`}
            </Link>
          )}
          {sendFrom && (
            <button type="button" className="btn btn-small" onClick={() => onSendFrom(sendFrom.id)}>
              Send from {sendFrom.name} instead
            </button>
          )}
        </p>
      </div>
    </div>
  );
}

/**
 * TransferFlow sends money: edit → review → result, with one
 * Idempotency-Key per submission. The review names the recipient: your own
 * account or payee by the name you gave it, and anyone else by the masked
 * name the bank has for the number (Confirmation of Payee).
 */
export function TransferFlow() {
  const api = useApi();
  const qc = useQueryClient();
  const { accounts, isPending } = useOpenAccounts();
  const { payees } = usePayees();
  const moved = useMoneyMoved();
  const idem = useIdempotencyKey();
  const [params] = useSearchParams();
  const [step, setStep] = useState<Step>("edit");
  const [fromID, setFromID] = useState(params.get("from") ?? "");
  const [choice, setChoice] = useState("new");
  const [typed, setTyped] = useState("");
  const [amount, setAmount] = useState("");
  const [description, setDescription] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [showAmountErrors, setShowAmountErrors] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(false);
  const [holder, setHolder] = useState<Holder | null>(null);
  const [holderUnknown, setHolderUnknown] = useState(false);
  const [sent, setSent] = useState<{ transfer: Transfer; to: Recipient; holder: Holder | null } | null>(null);
  const headRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!accounts.some((a) => a.id === fromID) && accounts[0]) setFromID((accounts.find((a) => a.status === "active") ?? accounts[0]).id);
  }, [accounts, fromID]);
  useEffect(() => {
    if (step !== "edit") headRef.current?.focus();
  }, [step]);

  const from = accounts.find((a) => a.id === fromID);
  const to = recipientOf(choice, typed, accounts, payees);
  const currency = from?.currency ?? "USD";
  const parsed = readAmount(amount, currency);
  // The recipient's currency, known as soon as the recipient is: an own account's, or the lookup's for a valid number.
  const own = to.kind === "own" ? accounts.find((a) => a.number === to.number) : undefined;
  const lookupNumber = to.kind !== "own" && accountNumberProblem(to.number) === null ? to.number : "";
  const lookup = useQuery({ ...recipientQuery(api, lookupNumber), enabled: lookupNumber !== "" && step === "edit" });
  const toCurrency = own?.currency ?? (lookupNumber && lookup.data ? lookup.data.recipient.currency : undefined);
  const mismatch = from && toCurrency && toCurrency !== from.currency ? toCurrency : null;
  const body = {
    from_account_id: fromID,
    to_account_number: to.number,
    amount: parsed.ok ? parsed.value : "",
    ...(description.trim() ? { description: description.trim() } : {}),
  };

  async function review(e: FormEvent) {
    e.preventDefault();
    if (checking) return;
    setError(null);
    setShowAmountErrors(true);
    const errs: Record<string, string> = {};
    if (!from) errs.from_account_id = "Choose an account to send from.";
    const numberProblem = accountNumberProblem(to.number);
    if (numberProblem) errs.to_account_number = numberProblem;
    if (from && to.number === from.number) errs.to_account_number = "That is the account you are sending from. Choose another recipient.";
    if (!parsed.ok) errs.amount = parsed.error;
    setLocalErrors(errs);
    // A different currency is already shown with the way out (CurrencyMismatch); there is nothing to review.
    if (Object.keys(errs).length > 0 || mismatch) return;
    setHolder(null);
    setHolderUnknown(false);
    if (to.kind !== "own") {
      setChecking(true);
      try {
        const res = await qc.fetchQuery(recipientQuery(api, to.number));
        // The currency check shows on the form (CurrencyMismatch) once the answer is cached.
        if (from && res.recipient.currency !== from.currency) return;
        setHolder(res.recipient);
      } catch (err) {
        if (err instanceof ApiError && (err.code === "recipient_not_found" || err.code === "validation_failed")) {
          setLocalErrors({ to_account_number: err.fields.account_number ?? err.detail });
          return;
        }
        // The name check is a help, not a gate: if it can't run now, say so on the review.
        setHolderUnknown(true);
      } finally {
        setChecking(false);
      }
    }
    setStep("review");
  }

  async function send() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.transfer(body, idem.keyFor(body));
      idem.done();
      setSent({ transfer: res.transfer, to, holder });
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
    setShowAmountErrors(false);
    setSent(null);
  }

  if (isPending) return <Skeleton lines={4} label="Loading your accounts…" />;
  const fe = (f: string) => localErrors[f] ?? fieldError(error, f);
  const toLine = (r: Recipient, h: Holder | null) =>
    r.kind === "own" ? `Your ${r.name} account` : r.kind === "payee" ? r.name : (h?.name ?? "New recipient");

  return (
    <section className="panel narrow flow" aria-labelledby="xfer-h">
      <h2 id="xfer-h" ref={headRef} tabIndex={-1}>
        {step === "edit" ? "Send money" : step === "review" ? "Review your transfer" : "Money sent"}
      </h2>
      {step === "edit" && (
        <form onSubmit={(e) => void review(e)} noValidate>
          <SelectField label="From" value={fromID} onChange={(e) => setFromID(e.target.value)} error={fe("from_account_id")}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          <RecipientPicker
            choice={choice}
            onChoice={setChoice}
            typed={typed}
            onTyped={setTyped}
            accounts={accounts}
            payees={payees}
            fromID={fromID}
            error={fe("to_account_number")}
          />
          {mismatch && from && <CurrencyMismatch from={from} toCurrency={mismatch} own={own} accounts={accounts} onSendFrom={setFromID} />}
          <MoneyField currency={currency} value={amount} onChange={setAmount} verb="You send" showErrors={showAmountErrors} error={fe("amount")} />
          <Field label="Note (optional)" value={description} maxLength={140} onChange={(e) => setDescription(e.target.value)} error={fe("description")} />
          <ErrorNote error={error} fieldsShown={["from_account_id", "to_account_number", "amount", "description"]} />
          <button type="submit" className="btn btn-primary btn-block" disabled={checking}>
            {checking ? "Checking the recipient…" : "Review"}
          </button>
        </form>
      )}
      {step === "review" && from && (
        <div className="review">
          <p className="review-amount">{formatMoney(body.amount, currency)}</p>
          <dl className="review-list">
            <div>
              <dt>From</dt>
              <dd>{accountLabel(from)}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd data-testid="review-recipient">
                <strong>{toLine(to, holder)}</strong>
                <span className="muted block">
                  {to.kind === "payee" && holder ? `Account holder: ${holder.name} · ` : ""}
                  Account {maskNumber(to.number)}
                </span>
              </dd>
            </div>
            {body.description && (
              <div>
                <dt>Note</dt>
                <dd>{body.description}</dd>
              </div>
            )}
            <div>
              <dt>Arrives</dt>
              <dd>Instantly</dd>
            </div>
          </dl>
          {holder && to.kind !== "own" && (
            <p className="note note-success">
              <CircleCheck aria-hidden="true" className="note-icon" />
              <span>{`The bank confirms this account belongs to ${holder.name}${holder.name.endsWith(".") ? "" : "."}`}</span>
            </p>
          )}
          {holderUnknown && (
            <p className="note note-info">
              <Info aria-hidden="true" className="note-icon" />
              <span>We couldn't check the name on this account right now. Make sure the number is right before you send.</span>
            </p>
          )}
          <ErrorNote error={error} />
          <div className="row-actions">
            <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={busy}>
              {busy ? "Sending…" : `Send ${formatMoney(body.amount, currency)}`}
            </button>
            <button type="button" className="btn" onClick={() => setStep("edit")} disabled={busy}>
              Edit
            </button>
          </div>
        </div>
      )}
      {step === "done" && sent && (
        <div className="result" role="status">
          <span className="result-icon" aria-hidden="true">
            <CircleCheck />
          </span>
          <p className="result-amount">
            <Money amount={sent.transfer.amount} currency={sent.transfer.currency} /> sent
          </p>
          <p>
            To {toLine(sent.to, sent.holder)} ({maskNumber(sent.transfer.to_account_number ?? sent.to.number)}) on {formatDateTime(sent.transfer.created_at)}.
            Reference <span className="mono">{sent.transfer.id.slice(0, 8)}</span>.
          </p>
          <div className="row-actions">
            <button type="button" className="btn btn-primary" onClick={restart}>
              Send more money
            </button>
            <Link className="btn" to={`/accounts/${sent.transfer.from_account_id ?? from?.id ?? ""}`}>
              View account
            </Link>
          </div>
        </div>
      )}
    </section>
  );
}
