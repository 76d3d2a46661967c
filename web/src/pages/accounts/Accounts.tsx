import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { AccountType } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, Skeleton, SuccessNote, fieldError } from "../../components/Feedback";
import { Plus } from "../../components/icons";
import { PageTitle } from "../../components/PageTitle";
import { AccountCard } from "./AccountCard";

type Currency = "USD" | "EUR" | "GBP";

/**
 * DEFAULT_CURRENCY is where the open-account form starts every time it opens,
 * and where it goes when Brokerage is chosen: a currency is never carried
 * over from the last account opened (a EUR brokerage account would convert
 * every order of USD instruments).
 */
const DEFAULT_CURRENCY: Currency = "USD";

/** Accounts lists the customer's accounts and opens new ones. */
export default function Accounts() {
  const api = useApi();
  const qc = useQueryClient();
  const accounts = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  const [type, setType] = useState<AccountType>("savings");
  const [currency, setCurrency] = useState<Currency>("USD");
  const [name, setName] = useState("");
  const [showForm, setShowForm] = useState(false);
  const open = useMutation({
    mutationFn: () => api.openAccount({ type, currency, ...(name.trim() ? { name: name.trim() } : {}) }),
    onSuccess: () => {
      setName("");
      setShowForm(false);
      // The next account starts from the defaults again: nothing chosen here carries over by itself.
      setType("savings");
      setCurrency(DEFAULT_CURRENCY);
      void qc.invalidateQueries({ queryKey: ["accounts"] });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!open.isPending) open.mutate();
  }

  function toggleForm() {
    if (!showForm) {
      setType("savings");
      setCurrency(DEFAULT_CURRENCY);
      setName("");
      open.reset();
    }
    setShowForm(!showForm);
  }

  function chooseType(t: AccountType) {
    setType(t);
    // Investing is in USD; a brokerage account starts there whatever was chosen before.
    if (t === "brokerage") setCurrency(DEFAULT_CURRENCY);
  }

  const items = accounts.data?.items ?? [];
  const active = items.filter((a) => a.status !== "closed");
  const closed = items.filter((a) => a.status === "closed");

  return (
    <div className="page">
      <PageTitle
        subtitle="Everyday spending, savings and investing, in dollars, euros or pounds."
        actions={
          <button type="button" className="btn btn-primary" aria-expanded={showForm} onClick={toggleForm}>
            <Plus aria-hidden="true" />
            Open an account
          </button>
        }
      >
        Accounts
      </PageTitle>
      {open.isSuccess && (
        <SuccessNote>
          Your new {open.data.account.currency} {open.data.account.type} account is open.
        </SuccessNote>
      )}
      {showForm && (
        <form className="panel form-grid" onSubmit={submit} aria-label="Open an account">
          <SelectField label="Account type" value={type} onChange={(e) => chooseType(e.target.value as AccountType)} error={fieldError(open.error, "type")}>
            <option value="checking">Checking</option>
            <option value="savings">Savings</option>
            <option value="brokerage">Brokerage (for investing)</option>
          </SelectField>
          <SelectField
            label="Currency"
            value={currency}
            onChange={(e) => setCurrency(e.target.value as Currency)}
            error={fieldError(open.error, "currency")}
            hint={
              type === "brokerage" && currency !== "USD"
                ? `Stocks and crypto are priced in USD: every order from a ${currency} account is converted at the exchange rate, with a fee.`
                : undefined
            }
          >
            <option value="USD">US dollar (USD)</option>
            <option value="EUR">Euro (EUR)</option>
            <option value="GBP">British pound (GBP)</option>
          </SelectField>
          <Field label="Name (optional)" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} error={fieldError(open.error, "name")} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={open.isPending}>
              {open.isPending ? "Opening…" : "Open account"}
            </button>
          </div>
          <ErrorNote error={open.error} fieldsShown={["type", "currency", "name"]} />
        </form>
      )}
      {accounts.isPending ? (
        <Skeleton variant="cards" lines={3} label="Loading accounts…" />
      ) : accounts.isError ? (
        <ErrorNote error={accounts.error} />
      ) : (
        <>
          <ul className="card-grid">
            {active.map((a) => (
              <li key={a.id}>
                <AccountCard account={a} />
              </li>
            ))}
          </ul>
          {closed.length > 0 && (
            <section aria-labelledby="closed-h">
              <h2 id="closed-h">Closed accounts</h2>
              <ul className="card-grid">
                {closed.map((a) => (
                  <li key={a.id}>
                    <AccountCard account={a} />
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}
