import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import type { Frequency } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, Loading, SuccessNote, fieldError } from "../../components/Feedback";
import { Money } from "../../components/Money";
import { formatDate, formatDateTime, isoDate } from "../../lib/dates";
import { checkAmountInput, normalizeAmountInput } from "../../lib/money";
import { accountLabel } from "../accounts/AccountCard";
import { useOpenAccounts } from "./useAccounts";

/** Scheduled lists, creates and cancels scheduled transfers. */
export function Scheduled() {
  const api = useApi();
  const qc = useQueryClient();
  const { accounts } = useOpenAccounts();
  const list = useQuery({ queryKey: ["scheduled"], queryFn: api.scheduled });
  const [fromID, setFromID] = useState("");
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [frequency, setFrequency] = useState<Frequency>("monthly");
  const [start, setStart] = useState(isoDate(new Date(Date.now() + 86_400_000)));
  const [end, setEnd] = useState("");
  const [description, setDescription] = useState("");
  const [amountError, setAmountError] = useState<string | null>(null);
  useEffect(() => {
    if (!fromID && accounts[0]) setFromID(accounts[0].id);
  }, [accounts, fromID]);
  const from = accounts.find((a) => a.id === fromID);
  const currencyOf = (id: string) => accounts.find((a) => a.id === id)?.currency ?? "USD";

  const create = useMutation({
    mutationFn: () =>
      api.createScheduled({
        from_account_id: fromID,
        to_account_number: to.replace(/\s/g, ""),
        amount: normalizeAmountInput(amount),
        frequency,
        start_date: start,
        ...(end ? { end_date: end } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
      }),
    onSuccess: () => {
      setAmount("");
      void qc.invalidateQueries({ queryKey: ["scheduled"] });
    },
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api.cancelScheduled(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["scheduled"] }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const bad = checkAmountInput(amount, from?.currency ?? "USD");
    setAmountError(bad);
    if (!bad) create.mutate();
  }

  return (
    <div className="two-col">
      <section className="panel" aria-labelledby="sched-h">
        <h2 id="sched-h">Scheduled transfers</h2>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorNote error={list.error} />
        ) : list.data.items.length === 0 ? (
          <p className="muted">Nothing scheduled.</p>
        ) : (
          <ul className="rows">
            {list.data.items.map((s) => (
              <li key={s.id} className="row">
                <span>
                  <strong>
                    <Money amount={s.amount} currency={s.currency || currencyOf(s.from_account_id)} />
                  </strong>{" "}
                  to <span className="mono">{s.to_account_number}</span> · {s.frequency}
                  <br />
                  <span className="muted">
                    Next: {formatDateTime(s.next_run_at)}
                    {s.last_run_at ? ` · Last: ${formatDate(s.last_run_at)} (${s.last_status ?? "—"})` : ""}
                  </span>
                </span>
                <button type="button" className="btn btn-ghost" onClick={() => cancel.mutate(s.id)} aria-label={`Cancel scheduled transfer to ${s.to_account_number}`}>
                  Cancel
                </button>
              </li>
            ))}
          </ul>
        )}
        <ErrorNote error={cancel.error} />
      </section>
      <section className="panel" aria-labelledby="newsched-h">
        <h2 id="newsched-h">Schedule a transfer</h2>
        <form onSubmit={submit} noValidate>
          <SelectField label="From" value={fromID} onChange={(e) => setFromID(e.target.value)} error={fieldError(create.error, "from_account_id")}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          <Field label="Recipient account number" inputMode="numeric" value={to} onChange={(e) => setTo(e.target.value)} error={fieldError(create.error, "to_account_number")} />
          <Field label="Amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={amountError ?? fieldError(create.error, "amount")} />
          <SelectField label="How often" value={frequency} onChange={(e) => setFrequency(e.target.value as Frequency)} error={fieldError(create.error, "frequency")}>
            <option value="once">Once</option>
            <option value="weekly">Every week</option>
            <option value="monthly">Every month</option>
          </SelectField>
          <Field label="Start date" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={fieldError(create.error, "start_date")} />
          {frequency !== "once" && <Field label="End date (optional)" type="date" value={end} onChange={(e) => setEnd(e.target.value)} error={fieldError(create.error, "end_date")} />}
          <Field label="Note (optional)" value={description} onChange={(e) => setDescription(e.target.value)} error={fieldError(create.error, "description")} />
          <ErrorNote error={create.error} fieldsShown={["from_account_id", "to_account_number", "amount", "frequency", "start_date", "end_date", "description"]} />
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            Schedule
          </button>
          {create.isSuccess && <SuccessNote>Transfer scheduled.</SuccessNote>}
        </form>
      </section>
    </div>
  );
}
