import { type FormEvent, useEffect, useState } from "react";
import type { Transfer } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, Skeleton, SuccessNote, fieldError } from "../../components/Feedback";
import { Money } from "../../components/Money";
import { MoneyField, readAmount } from "../../components/MoneyField";
import { useIdempotencyKey } from "../../lib/idempotency";
import { formatMoney } from "../../lib/money";
import { accountLabel } from "../accounts/AccountCard";
import { useMoneyMoved, useOpenAccounts } from "./useAccounts";

/** CashForm adds money to an account or withdraws it. */
export function CashForm({ kind }: { kind: "deposit" | "withdrawal" }) {
  const api = useApi();
  const { accounts, isPending } = useOpenAccounts();
  const moved = useMoneyMoved();
  const idem = useIdempotencyKey();
  const [accountID, setAccountID] = useState("");
  const [amount, setAmount] = useState("");
  const [description, setDescription] = useState("");
  const [showErrors, setShowErrors] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Transfer | null>(null);
  const deposit = kind === "deposit";

  useEffect(() => {
    if (!accountID && accounts[0]) setAccountID(accounts[0].id);
  }, [accounts, accountID]);
  const account = accounts.find((a) => a.id === accountID);
  const currency = account?.currency ?? "USD";

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!account || busy) return;
    setDone(null);
    setError(null);
    setShowErrors(true);
    const parsed = readAmount(amount, currency);
    if (!parsed.ok) return;
    const body = { account_id: account.id, amount: parsed.value, ...(description.trim() ? { description: description.trim() } : {}) };
    setBusy(true);
    try {
      const key = idem.keyFor(body);
      const res = deposit ? await api.deposit(body, key) : await api.withdraw(body, key);
      idem.done();
      setDone(res.transfer);
      setAmount("");
      setDescription("");
      setShowErrors(false);
      moved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (isPending) return <Skeleton lines={3} label="Loading your accounts…" />;
  return (
    <section className="panel narrow flow" aria-labelledby="cash-h">
      <h2 id="cash-h">{deposit ? "Add money" : "Withdraw money"}</h2>
      <p className="muted">{deposit ? "Move money in from your other bank. It arrives instantly." : "Take money out to your other bank."}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <SelectField label={deposit ? "Into account" : "From account"} value={accountID} onChange={(e) => setAccountID(e.target.value)} error={fieldError(error, "account_id")}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {accountLabel(a)}
            </option>
          ))}
        </SelectField>
        <MoneyField
          currency={currency}
          value={amount}
          onChange={setAmount}
          verb={deposit ? "You add" : "You withdraw"}
          showErrors={showErrors}
          error={fieldError(error, "amount")}
          hint={deposit ? `Up to ${formatMoney("10000", currency)} at a time and ${formatMoney("25000", currency)} a day.` : undefined}
        />
        <Field label="Description (optional)" value={description} maxLength={140} onChange={(e) => setDescription(e.target.value)} error={fieldError(error, "description")} />
        <ErrorNote error={error} fieldsShown={["amount", "account_id", "description"]} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !account}>
          {busy ? "Working…" : deposit ? "Add money" : "Withdraw"}
        </button>
      </form>
      {done && (
        <SuccessNote>
          {deposit ? "Added" : "Withdrew"} <Money amount={done.amount} currency={done.currency} />.
        </SuccessNote>
      )}
    </section>
  );
}
