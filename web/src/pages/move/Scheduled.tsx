import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { Account, Frequency, Payee } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { EmptyState, ErrorNote, Skeleton, SuccessNote, fieldError } from "../../components/Feedback";
import { CalendarClock, X } from "../../components/icons";
import { Money } from "../../components/Money";
import { MoneyField, readAmount } from "../../components/MoneyField";
import { accountNumberProblem } from "../../lib/accountNumber";
import { formatDate, isoDate } from "../../lib/dates";
import { accountLabel, maskNumber } from "../accounts/AccountCard";
import { RecipientPicker, recipientOf } from "./RecipientPicker";
import { useOpenAccounts, usePayees } from "./useAccounts";

const FREQ: Record<Frequency, string> = { once: "Once", weekly: "Every week", monthly: "Every month" };

/** payeeName names the recipient of a number the way the customer knows it: payee, own account, or a masked number. */
export function payeeName(number: string, payees: Payee[], accounts: Account[]): string {
  const p = payees.find((x) => x.account_number === number);
  if (p) return p.name;
  const a = accounts.find((x) => x.number === number);
  if (a) return `Your ${a.name}`;
  return `Account ${maskNumber(number)}`;
}

/** Scheduled lists, creates and cancels scheduled transfers. */
export function Scheduled() {
  const api = useApi();
  const qc = useQueryClient();
  const { accounts } = useOpenAccounts();
  const { payees } = usePayees();
  const list = useQuery({ queryKey: ["scheduled"], queryFn: api.scheduled });
  const [fromID, setFromID] = useState("");
  const [choice, setChoice] = useState("new");
  const [typed, setTyped] = useState("");
  const [amount, setAmount] = useState("");
  const [frequency, setFrequency] = useState<Frequency>("monthly");
  const [start, setStart] = useState(isoDate(new Date(Date.now() + 86_400_000)));
  const [end, setEnd] = useState("");
  const [description, setDescription] = useState("");
  const [showErrors, setShowErrors] = useState(false);
  const [numberError, setNumberError] = useState<string | null>(null);
  const inFlight = useRef(false);
  useEffect(() => {
    if (!fromID && accounts[0]) setFromID(accounts[0].id);
  }, [accounts, fromID]);
  const from = accounts.find((a) => a.id === fromID);
  const currency = from?.currency ?? "USD";
  const to = recipientOf(choice, typed, accounts, payees);

  const create = useMutation({
    mutationFn: (amountValue: string) =>
      api.createScheduled({
        from_account_id: fromID,
        to_account_number: to.number,
        amount: amountValue,
        frequency,
        start_date: start,
        ...(end && frequency !== "once" ? { end_date: end } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
      }),
    onSuccess: () => {
      setAmount("");
      setShowErrors(false);
      void qc.invalidateQueries({ queryKey: ["scheduled"] });
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api.cancelScheduled(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["scheduled"] }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    setShowErrors(true);
    const problem = accountNumberProblem(to.number);
    setNumberError(problem);
    const parsed = readAmount(amount, currency);
    if (problem || !parsed.ok) return;
    inFlight.current = true;
    create.mutate(parsed.value);
  }

  const items = (list.data?.items ?? []).filter((s) => s.status === "active");
  return (
    <div className="two-col">
      <section className="panel" aria-labelledby="sched-h">
        <h2 id="sched-h">Scheduled transfers</h2>
        {list.isPending ? (
          <Skeleton lines={3} label="Loading scheduled transfers…" />
        ) : list.isError ? (
          <ErrorNote error={list.error} />
        ) : items.length === 0 ? (
          <EmptyState icon={CalendarClock} title="Nothing scheduled">
            Set up rent, savings or a regular payment and it goes out on its own.
          </EmptyState>
        ) : (
          <ul className="rows">
            {items.map((s) => {
              const name = payeeName(s.to_account_number, payees, accounts);
              return (
                <li key={s.id} className="row">
                  <span className="row-main">
                    <strong>{name}</strong>
                    <span className="muted">
                      <Money amount={s.amount} currency={s.currency} /> · {FREQ[s.frequency]} · next {formatDate(s.next_run_at)}
                      {s.last_run_at ? ` · last ${formatDate(s.last_run_at)}${s.last_status && s.last_status !== "completed" ? " (failed)" : ""}` : ""}
                    </span>
                  </span>
                  <button type="button" className="icon-button" onClick={() => cancel.mutate(s.id)} aria-label={`Cancel scheduled transfer to ${name}`}>
                    <X aria-hidden="true" />
                  </button>
                </li>
              );
            })}
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
          <RecipientPicker
            choice={choice}
            onChoice={setChoice}
            typed={typed}
            onTyped={setTyped}
            accounts={accounts}
            payees={payees}
            fromID={fromID}
            error={numberError ?? fieldError(create.error, "to_account_number")}
          />
          <MoneyField currency={currency} value={amount} onChange={setAmount} verb="Each time you send" showErrors={showErrors} error={fieldError(create.error, "amount")} />
          <SelectField label="How often" value={frequency} onChange={(e) => setFrequency(e.target.value as Frequency)} error={fieldError(create.error, "frequency")}>
            <option value="once">Once</option>
            <option value="weekly">Every week</option>
            <option value="monthly">Every month</option>
          </SelectField>
          <div className="field-pair">
            <Field label={frequency === "once" ? "Date" : "First payment"} type="date" value={start} onChange={(e) => setStart(e.target.value)} error={fieldError(create.error, "start_date")} />
            {frequency !== "once" && (
              <Field label="Last payment (optional)" type="date" value={end} onChange={(e) => setEnd(e.target.value)} error={fieldError(create.error, "end_date")} />
            )}
          </div>
          <Field label="Note (optional)" value={description} maxLength={140} onChange={(e) => setDescription(e.target.value)} error={fieldError(create.error, "description")} />
          <ErrorNote error={create.error} fieldsShown={["from_account_id", "to_account_number", "amount", "frequency", "start_date", "end_date", "description"]} />
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? "Scheduling…" : "Schedule"}
          </button>
          {create.isSuccess && <SuccessNote>Transfer scheduled.</SuccessNote>}
        </form>
      </section>
    </div>
  );
}
