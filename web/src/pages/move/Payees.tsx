import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { useApi } from "../../app/auth";
import { Field } from "../../components/Field";
import { EmptyState, ErrorNote, Skeleton, SuccessNote, fieldError } from "../../components/Feedback";
import { BookUser, Trash } from "../../components/icons";
import { accountNumberProblem } from "../../lib/accountNumber";
import { groupNumber } from "../accounts/AccountCard";
import { usePayees } from "./useAccounts";

/** Payees lists saved recipients and adds or removes them. */
export function Payees() {
  const api = useApi();
  const qc = useQueryClient();
  const list = usePayees();
  const [name, setName] = useState("");
  const [number, setNumber] = useState("");
  const [numberError, setNumberError] = useState<string | null>(null);
  // A double click fires two submits before React re-renders the disabled
  // button; the ref drops the second at once.
  const inFlight = useRef(false);
  const add = useMutation({
    mutationFn: (b: { name: string; account_number: string }) => api.createPayee(b),
    onSuccess: () => {
      setName("");
      setNumber("");
      void qc.invalidateQueries({ queryKey: ["payees"] });
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.deletePayee(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["payees"] }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    const n = number.replace(/[\s-]/g, "");
    const problem = accountNumberProblem(n);
    setNumberError(problem);
    if (problem) return;
    inFlight.current = true;
    add.mutate({ name: name.trim(), account_number: n });
  }

  return (
    <div className="two-col">
      <section className="panel" aria-labelledby="payees-h">
        <h2 id="payees-h">Your payees</h2>
        {list.isPending ? (
          <Skeleton lines={3} label="Loading payees…" />
        ) : list.isError ? (
          <ErrorNote error={list.error} />
        ) : list.payees.length === 0 ? (
          <EmptyState icon={BookUser} title="No payees yet">
            Save the people you pay often, then pick them when you send money.
          </EmptyState>
        ) : (
          <ul className="rows">
            {list.payees.map((p) => (
              <li key={p.id} className="row">
                <span className="avatar avatar-small" aria-hidden="true">
                  {p.name.slice(0, 1).toUpperCase()}
                </span>
                <span className="row-main">
                  <strong>{p.name}</strong>
                  <span className="mono muted">{groupNumber(p.account_number)}</span>
                </span>
                <button type="button" className="icon-button" onClick={() => remove.mutate(p.id)} aria-label={`Remove payee ${p.name}`}>
                  <Trash aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
        )}
        <ErrorNote error={remove.error} />
      </section>
      <section className="panel" aria-labelledby="addpayee-h">
        <h2 id="addpayee-h">Add a payee</h2>
        <form onSubmit={submit} noValidate>
          <Field label="Name" value={name} required maxLength={60} onChange={(e) => setName(e.target.value)} error={fieldError(add.error, "name")} />
          <Field
            label="Account number"
            inputMode="numeric"
            autoComplete="off"
            required
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            error={numberError ?? fieldError(add.error, "account_number")}
          />
          <ErrorNote error={add.error} fieldsShown={["name", "account_number"]} />
          <button type="submit" className="btn btn-primary" disabled={add.isPending}>
            {add.isPending ? "Saving…" : "Save payee"}
          </button>
          {add.isSuccess && <SuccessNote>Payee saved.</SuccessNote>}
        </form>
      </section>
    </div>
  );
}
