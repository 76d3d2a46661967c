import { type FormEvent, useEffect, useState } from "react";
import type { Transfer } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, Loading, SuccessNote, fieldError } from "../../components/Feedback";
import { Money } from "../../components/Money";
import { useIdempotencyKey } from "../../lib/idempotency";
import { checkAmountInput, normalizeAmountInput } from "../../lib/money";
import { accountLabel } from "../accounts/AccountCard";
import { useMoneyMoved, useOpenAccounts } from "./useAccounts";

/** CashForm makes a deposit or a withdrawal. */
export function CashForm({ kind }: { kind: "deposit" | "withdrawal" }) {
  const api = useApi();
  const { accounts, isPending } = useOpenAccounts();
  const moved = useMoneyMoved();
  const idem = useIdempotencyKey();
  const [accountID, setAccountID] = useState("");
  const [amount, setAmount] = useState("");
  const [description, setDescription] = useState("");
  const [amountError, setAmountError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Transfer | null>(null);
  const verb = kind === "deposit" ? "Deposit" : "Withdraw";

  useEffect(() => {
    if (!accountID && accounts[0]) setAccountID(accounts[0].id);
  }, [accounts, accountID]);
  const account = accounts.find((a) => a.id === accountID);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!account) return;
    setDone(null);
    setError(null);
    const bad = checkAmountInput(amount, account.currency);
    setAmountError(bad);
    if (bad) return;
    const body = { account_id: account.id, amount: normalizeAmountInput(amount), ...(description.trim() ? { description: description.trim() } : {}) };
    setBusy(true);
    try {
      const key = idem.keyFor(body);
      const res = kind === "deposit" ? await api.deposit(body, key) : await api.withdraw(body, key);
      idem.done();
      setDone(res.transfer);
      setAmount("");
      setDescription("");
      moved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (isPending) return <Loading />;
  return (
    <section className="panel narrow" aria-labelledby="cash-h">
      <h2 id="cash-h">{kind === "deposit" ? "Deposit money" : "Withdraw money"}</h2>
      <form onSubmit={submit} noValidate>
        <SelectField label={kind === "deposit" ? "Into account" : "From account"} value={accountID} onChange={(e) => setAccountID(e.target.value)} error={fieldError(error, "account_id")}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {accountLabel(a)}
            </option>
          ))}
        </SelectField>
        <Field
          label={`Amount${account ? ` (${account.currency})` : ""}`}
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={amountError ?? fieldError(error, "amount")}
          hint={kind === "deposit" ? "Up to 10,000.00 per deposit." : undefined}
        />
        <Field label="Description (optional)" value={description} maxLength={140} onChange={(e) => setDescription(e.target.value)} error={fieldError(error, "description")} />
        <ErrorNote error={error} fieldsShown={["amount", "account_id", "description"]} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !account}>
          {busy ? "Working…" : verb}
        </button>
      </form>
      {done && (
        <SuccessNote>
          {kind === "deposit" ? "Deposited" : "Withdrew"} <Money amount={done.amount} currency={done.currency} />.
        </SuccessNote>
      )}
    </section>
  );
}
