import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { Account } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, Skeleton, SuccessNote, fieldError } from "../../components/Feedback";
import { ChevronLeft, Pencil, Send, Snowflake, Trash } from "../../components/icons";
import { Money } from "../../components/Money";
import { PageTitle } from "../../components/PageTitle";
import { AccountActivity } from "./AccountActivity";
import { TYPE_NAMES, groupNumber } from "./AccountCard";
import { Statements } from "./Statements";

/** AccountDetail shows one account: balance, rename/close, history and downloads. */
export default function AccountDetail() {
  const { id = "" } = useParams();
  const api = useApi();
  const q = useQuery({ queryKey: ["account", id], queryFn: () => api.account(id) });
  if (q.isPending) return <Skeleton variant="page" label="Loading the account…" />;
  if (q.isError) {
    return (
      <div className="page">
        <ErrorNote error={q.error} />
        <Link to="/accounts">Back to accounts</Link>
      </div>
    );
  }
  return <AccountView account={q.data.account} />;
}

function AccountView({ account: a }: { account: Account }) {
  const api = useApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(a.name);
  const [confirmClose, setConfirmClose] = useState(false);
  const all = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ["accounts"] });
    void qc.invalidateQueries({ queryKey: ["account", a.id] });
  };
  const rename = useMutation({
    mutationFn: () => api.renameAccount(a.id, name.trim()),
    onSuccess: () => {
      setRenaming(false);
      refresh();
    },
  });
  const close = useMutation({
    mutationFn: () => api.closeAccount(a.id),
    onSuccess: () => {
      refresh();
      navigate("/accounts");
    },
  });

  function submitRename(e: FormEvent) {
    e.preventDefault();
    if (!rename.isPending) rename.mutate();
  }

  return (
    <div className="page">
      <Link to="/accounts" className="back-link">
        <ChevronLeft aria-hidden="true" />
        Accounts
      </Link>
      <PageTitle subtitle={`${TYPE_NAMES[a.type]} · ${a.currency}`}>{a.name}</PageTitle>
      <section className="panel account-head" aria-label="Balance">
        <div className="account-balance">
          <p className="stat-label">Balance</p>
          <p className="hero-value">
            <Money amount={a.balance} currency={a.currency} />
          </p>
          {a.available_balance !== a.balance && (
            <p className="stat-sub">
              Available <Money amount={a.available_balance} currency={a.currency} />
            </p>
          )}
          {a.status === "frozen" && (
            <p className="note note-info">
              <Snowflake aria-hidden="true" className="note-icon" />
              <span>This account is frozen: it can receive money but not send it. Contact support to unfreeze it.</span>
            </p>
          )}
        </div>
        <dl className="facts">
          <div>
            <dt>Account number</dt>
            <dd className="mono" data-testid="account-number" data-number={a.number}>
              {groupNumber(a.number)}
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd className="capitalize">{a.status}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>{new Date(a.created_at).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" })}</dd>
          </div>
        </dl>
        {a.status !== "closed" && (
          <div className="row-actions">
            <Link className="btn btn-primary" to={`/move/transfer?from=${a.id}`}>
              <Send aria-hidden="true" />
              Send from here
            </Link>
            <button type="button" className="btn" onClick={() => setRenaming((v) => !v)} aria-expanded={renaming}>
              <Pencil aria-hidden="true" />
              Rename
            </button>
            <button type="button" className="btn btn-danger" onClick={() => setConfirmClose(true)}>
              <Trash aria-hidden="true" />
              Close account
            </button>
          </div>
        )}
        {renaming && (
          <form className="form-inline" onSubmit={submitRename} aria-label="Rename account">
            <Field label="New name" value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} error={fieldError(rename.error, "name")} />
            <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
              Save name
            </button>
            <ErrorNote error={rename.error} fieldsShown={["name"]} />
          </form>
        )}
        {rename.isSuccess && <SuccessNote>Account renamed.</SuccessNote>}
        {confirmClose && (
          <div className="confirm" role="alertdialog" aria-labelledby="close-q">
            <p id="close-q">Close {a.name}? The balance must be zero. This cannot be undone.</p>
            <button type="button" className="btn btn-danger" onClick={() => close.mutate()} disabled={close.isPending}>
              Yes, close it
            </button>
            <button type="button" className="btn" onClick={() => setConfirmClose(false)}>
              Keep it open
            </button>
            <ErrorNote error={close.error} />
          </div>
        )}
      </section>
      <AccountActivity account={a} accounts={all.data?.items ?? []} />
      <Statements account={a} />
    </div>
  );
}
