import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import type { Account } from "../../api/types";
import { useApi } from "../../app/auth";
import { ErrorNote, Skeleton, SuccessNote } from "../../components/Feedback";
import { ChevronLeft, Lock, LockOpen } from "../../components/icons";
import { Money } from "../../components/Money";
import { PageTitle } from "../../components/PageTitle";
import { formatDate } from "../../lib/dates";
import { TYPE_NAMES, groupNumber } from "../accounts/AccountCard";

/** AdminUser is one user for an operator: who they are and their accounts, each freezable from here. */
export default function AdminUser() {
  const { id = "" } = useParams();
  const api = useApi();
  const q = useQuery({ queryKey: ["admin", "user", id], queryFn: () => api.adminUser(id) });
  return (
    <div className="page">
      <Link to="/admin" className="back-link">
        <ChevronLeft aria-hidden="true" />
        Admin
      </Link>
      {q.isPending ? (
        <Skeleton variant="page" label="Loading the user…" />
      ) : q.isError ? (
        <ErrorNote error={q.error} />
      ) : (
        <>
          <PageTitle subtitle={`${q.data.user.email} · ${q.data.user.role} · 2FA ${q.data.user.totp_enabled ? "on" : "off"} · joined ${formatDate(q.data.user.created_at)}`}>
            {q.data.user.full_name}
          </PageTitle>
          <section className="panel" aria-labelledby="ua-h">
            <h2 id="ua-h">Accounts</h2>
            {q.data.accounts.length === 0 ? (
              <p className="muted">No accounts.</p>
            ) : (
              <ul className="rows">
                {q.data.accounts.map((a) => (
                  <AccountRow key={a.id} account={a} userID={id} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function AccountRow({ account: a, userID }: { account: Account; userID: string }) {
  const api = useApi();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const act = useMutation({
    mutationFn: () => (a.status === "frozen" ? api.unfreeze(a.id) : api.freeze(a.id)),
    onSuccess: () => {
      setConfirm(false);
      void qc.invalidateQueries({ queryKey: ["admin", "user", userID] });
    },
  });
  const freezing = a.status !== "frozen";
  return (
    <li className="row row-wrap">
      <span className="row-main">
        <strong>
          {a.name} <span className={`badge badge-${a.status}`}>{a.status}</span>
        </strong>
        <span className="muted">
          {TYPE_NAMES[a.type]} · <span className="mono">{groupNumber(a.number)}</span> · <Money amount={a.balance} currency={a.currency} />
        </span>
      </span>
      {a.status !== "closed" && !confirm && (
        <button type="button" className={`btn btn-small${freezing ? " btn-danger" : ""}`} onClick={() => setConfirm(true)} aria-label={`${freezing ? "Freeze" : "Unfreeze"} ${a.name}`}>
          {freezing ? <Lock aria-hidden="true" /> : <LockOpen aria-hidden="true" />}
          {freezing ? "Freeze" : "Unfreeze"}
        </button>
      )}
      {confirm && (
        <div className="confirm" role="alertdialog" aria-labelledby={`fz-${a.id}`}>
          <p id={`fz-${a.id}`}>
            {freezing ? `Freeze ${a.name}? It will still receive money but cannot send any.` : `Unfreeze ${a.name}? It can send money again.`}
          </p>
          <button type="button" className={`btn btn-small${freezing ? " btn-danger" : " btn-primary"}`} onClick={() => act.mutate()} disabled={act.isPending}>
            {freezing ? "Yes, freeze it" : "Yes, unfreeze it"}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setConfirm(false)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorNote error={act.error} />
      {act.isSuccess && <SuccessNote>{`${act.data.account.name} is now ${act.data.account.status}.`}</SuccessNote>}
    </li>
  );
}
