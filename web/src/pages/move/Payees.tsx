import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Page, Payee } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, Loading, fieldError } from "../../components/Feedback";

/** payeeItems reads the payee list from either a page or a plain items answer. */
export function payeeItems(data: Page<Payee> | undefined): Payee[] {
  return data?.items ?? [];
}

/** Payees lists saved recipients and adds or removes them. */
export function Payees() {
  const api = useApi();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ["payees"], queryFn: api.payees });
  const [name, setName] = useState("");
  const [number, setNumber] = useState("");
  const add = useMutation({
    mutationFn: () => api.createPayee({ name: name.trim(), account_number: number.replace(/\s/g, "") }),
    onSuccess: () => {
      setName("");
      setNumber("");
      void qc.invalidateQueries({ queryKey: ["payees"] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.deletePayee(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["payees"] }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate();
  }

  return (
    <div className="two-col">
      <section className="panel" aria-labelledby="payees-h">
        <h2 id="payees-h">Your payees</h2>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorNote error={list.error} />
        ) : payeeItems(list.data).length === 0 ? (
          <p className="muted">No payees yet.</p>
        ) : (
          <ul className="rows">
            {payeeItems(list.data).map((p) => (
              <li key={p.id} className="row">
                <span>
                  <strong>{p.name}</strong> <span className="mono muted">{p.account_number}</span>
                </span>
                <button type="button" className="btn btn-ghost" onClick={() => remove.mutate(p.id)} aria-label={`Remove payee ${p.name}`}>
                  Remove
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
          <Field label="Name" value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} error={fieldError(add.error, "name")} />
          <Field label="Account number" inputMode="numeric" required value={number} onChange={(e) => setNumber(e.target.value)} error={fieldError(add.error, "account_number")} />
          <ErrorNote error={add.error} fieldsShown={["name", "account_number"]} />
          <button type="submit" className="btn btn-primary" disabled={add.isPending}>
            Save payee
          </button>
        </form>
      </section>
    </div>
  );
}
