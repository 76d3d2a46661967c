import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useAuth } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, SuccessNote, fieldError } from "../../components/Feedback";
import { PageTitle } from "../../components/PageTitle";
import { Sessions } from "./Sessions";
import { TwoFactor } from "./TwoFactor";

/** Settings holds profile, password, display currency, two-factor and session management. */
export default function Settings() {
  return (
    <div className="page">
      <PageTitle>Settings</PageTitle>
      <div className="two-col">
        <Profile />
        <Password />
      </div>
      <BaseCurrency />
      <TwoFactor />
      <Sessions />
    </div>
  );
}

function Profile() {
  const { api, user, setUser } = useAuth();
  const [name, setName] = useState(user?.full_name ?? "");
  const save = useMutation({
    mutationFn: () => api.updateMe({ full_name: name.trim() }),
    onSuccess: (res) => setUser(res.user),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <section className="panel" aria-labelledby="profile-h">
      <h2 id="profile-h">Profile</h2>
      <form onSubmit={submit} noValidate>
        <Field label="Email" value={user?.email ?? ""} readOnly hint="Contact support to change your email." />
        <Field label="Full name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(save.error, "full_name")} />
        <ErrorNote error={save.error} fieldsShown={["full_name"]} />
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          Save profile
        </button>
        {save.isSuccess && <SuccessNote>Profile saved.</SuccessNote>}
      </form>
    </section>
  );
}

const BASE_CURRENCIES = [
  { code: "USD", name: "US dollar ($)" },
  { code: "EUR", name: "Euro (€)" },
  { code: "GBP", name: "British pound (£)" },
] as const;

/** BaseCurrency chooses the currency of the net worth and the portfolio (PATCH /me base_currency). */
function BaseCurrency() {
  const { api, user, setUser } = useAuth();
  const qc = useQueryClient();
  const [choice, setChoice] = useState<string>(user?.base_currency ?? "USD");
  const save = useMutation({
    mutationFn: () => api.updateMe({ base_currency: choice as (typeof BASE_CURRENCIES)[number]["code"] }),
    onSuccess: (res) => {
      setUser(res.user);
      for (const k of ["overview", "portfolio", "dashboard"]) void qc.invalidateQueries({ queryKey: [k] });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <section className="panel" aria-labelledby="base-currency-h" id="base-currency">
      <h2 id="base-currency-h">Display currency</h2>
      <p className="muted">Your net worth and portfolio are shown in this currency, converted at mid-market rates. Your accounts keep their own currencies.</p>
      <form className="form-inline" onSubmit={submit} noValidate>
        <SelectField label="Show totals in" value={choice} onChange={(e) => setChoice(e.target.value)} error={fieldError(save.error, "base_currency")}>
          {BASE_CURRENCIES.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="btn btn-primary" disabled={save.isPending || choice === user?.base_currency}>
          Save currency
        </button>
      </form>
      <ErrorNote error={save.error} fieldsShown={["base_currency"]} />
      {save.isSuccess && <SuccessNote>{`Totals are now shown in ${BASE_CURRENCIES.find((c) => c.code === save.data.user.base_currency)?.name ?? save.data.user.base_currency}.`}</SuccessNote>}
    </section>
  );
}

function Password() {
  const { api } = useAuth();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: () => api.changePassword({ current_password: current, new_password: next }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setConfirm("");
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const m = next !== confirm ? "The two new passwords do not match." : null;
    setMismatch(m);
    if (!m) change.mutate();
  }
  return (
    <section className="panel" aria-labelledby="pw-h">
      <h2 id="pw-h">Password</h2>
      <form onSubmit={submit} noValidate>
        <Field label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={fieldError(change.error, "current_password")} />
        <Field label="New password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} hint="At least 12 characters." error={fieldError(change.error, "new_password")} />
        <Field label="Confirm new password" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} error={mismatch} />
        <ErrorNote error={change.error} fieldsShown={["current_password", "new_password"]} />
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          Change password
        </button>
        {change.isSuccess && <SuccessNote>Password changed. Your other sessions were signed out.</SuccessNote>}
      </form>
    </section>
  );
}
