import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useApi } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, Skeleton } from "../../components/Feedback";
import { ChevronRight } from "../../components/icons";
import { PageTitle } from "../../components/PageTitle";
import { formatDate, formatDateTime } from "../../lib/dates";

/** Admin is the operator console: users (each with a page to freeze or unfreeze their accounts), ledger check, audit log. */
export default function Admin() {
  return (
    <div className="page">
      <PageTitle>Admin</PageTitle>
      <Users />
      <Ledger />
      <Audit />
    </div>
  );
}

function Users() {
  const api = useApi();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const users = useQuery({ queryKey: ["admin", "users", q], queryFn: () => api.adminUsers({ q, limit: 50 }) });
  function submit(e: FormEvent) {
    e.preventDefault();
    setQ(text.trim());
  }
  return (
    <section className="panel" aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      <form className="search-form" role="search" onSubmit={submit}>
        <Field label="Search users" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Email or name" />
        <button type="submit" className="btn btn-primary">
          Search
        </button>
      </form>
      {users.isPending ? (
        <Skeleton lines={4} />
      ) : users.isError ? (
        <ErrorNote error={users.error} />
      ) : (
        <ul className="rows" aria-label="Users">
          {users.data.items.map((u) => (
            <li key={u.id}>
              <Link className="row row-link" to={`/admin/users/${u.id}`}>
                <span className="avatar avatar-small" aria-hidden="true">
                  {u.full_name.slice(0, 1).toUpperCase()}
                </span>
                <span className="row-main">
                  <strong>
                    {u.full_name}
                    {u.role === "admin" && <span className="badge">admin</span>}
                  </strong>
                  <span className="muted">
                    {u.email} · {u.account_count} account{u.account_count === 1 ? "" : "s"} · 2FA {u.totp_enabled ? "on" : "off"} · joined {formatDate(u.created_at)}
                  </span>
                </span>
                <ChevronRight aria-hidden="true" className="row-chevron" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Ledger() {
  const api = useApi();
  const check = useMutation({ mutationFn: api.ledgerVerify });
  return (
    <section className="panel" aria-labelledby="ledger-h">
      <h2 id="ledger-h">Ledger check</h2>
      <p>Recomputes every balance from its postings and checks that each transfer sums to zero.</p>
      <button type="button" className="btn btn-primary" onClick={() => check.mutate()} disabled={check.isPending}>
        {check.isPending ? "Checking…" : "Run ledger check"}
      </button>
      <ErrorNote error={check.error} />
      {check.data && (
        <div role="status" className={check.data.ok ? "note note-success" : "note note-error"}>
          {check.data.ok ? "Ledger is consistent." : `${check.data.problems.length} problem(s) found.`} {check.data.accounts_checked} accounts and{" "}
          {check.data.transfers_checked} transfers checked.
          {!check.data.ok && (
            <ul>
              {check.data.problems.map((p, i) => (
                <li key={i}>
                  {p.kind} {p.ref}: {p.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function Audit() {
  const api = useApi();
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [trail, setTrail] = useState<(string | undefined)[]>([]);
  const audit = useQuery({ queryKey: ["admin", "audit", cursor], queryFn: () => api.audit({ limit: 50, cursor }) });
  return (
    <section className="panel" aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      {audit.isPending ? (
        <Skeleton lines={4} />
      ) : audit.isError ? (
        <ErrorNote error={audit.error} />
      ) : (
        <>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit log, scrollable">
            <table aria-label="Audit log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Target</th>
                  <th scope="col">IP</th>
                  <th scope="col">Request</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.items.map((e) => (
                  <tr key={e.id}>
                    <td>{formatDateTime(e.at)}</td>
                    <th scope="row">{e.action}</th>
                    <td>{e.outcome}</td>
                    <td className="mono">{e.actor_id?.slice(0, 8) ?? "—"}</td>
                    <td className="mono">{e.target}</td>
                    <td>{e.ip}</td>
                    <td className="mono">{e.request_id?.slice(0, 8)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="row-actions">
            <button
              type="button"
              className="btn"
              disabled={trail.length === 0}
              onClick={() => {
                setCursor(trail[trail.length - 1]);
                setTrail(trail.slice(0, -1));
              }}
            >
              Newer
            </button>
            <button
              type="button"
              className="btn"
              disabled={!audit.data.next_cursor}
              onClick={() => {
                setTrail([...trail, cursor]);
                setCursor(audit.data.next_cursor ?? undefined);
              }}
            >
              Older
            </button>
          </div>
        </>
      )}
    </section>
  );
}
