import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, Loading, SuccessNote } from "../../components/Feedback";
import { PageTitle } from "../../components/PageTitle";
import { formatDateTime } from "../../lib/dates";

/** Admin is the operator console: users, freeze/unfreeze, audit log, ledger check. */
export default function Admin() {
  return (
    <div className="page">
      <PageTitle>Admin</PageTitle>
      <Users />
      <div className="two-col">
        <Freeze />
        <Ledger />
      </div>
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
      <form className="form-inline" role="search" onSubmit={submit}>
        <Field label="Search users" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Email or name" />
        <button type="submit" className="btn btn-primary">
          Search
        </button>
      </form>
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorNote error={users.error} />
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Users, scrollable">
          <table aria-label="Users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">2FA</th>
                <th scope="col" className="num">Accounts</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.full_name}</th>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{u.totp_enabled ? "on" : "off"}</td>
                  <td className="num">{u.account_count}</td>
                  <td>{formatDateTime(u.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Freeze() {
  const api = useApi();
  const [id, setID] = useState("");
  const act = useMutation({ mutationFn: (freeze: boolean) => (freeze ? api.freeze(id.trim()) : api.unfreeze(id.trim())) });
  function submit(e: FormEvent) {
    e.preventDefault();
    act.mutate(true);
  }
  return (
    <section className="panel" aria-labelledby="freeze-h">
      <h2 id="freeze-h">Freeze an account</h2>
      <form onSubmit={submit} noValidate>
        <Field label="Account ID" value={id} onChange={(e) => setID(e.target.value)} spellCheck={false} autoComplete="off" />
        <div className="row-actions">
          <button type="submit" className="btn btn-danger" disabled={act.isPending || !id.trim()}>
            Freeze
          </button>
          <button type="button" className="btn" onClick={() => act.mutate(false)} disabled={act.isPending || !id.trim()}>
            Unfreeze
          </button>
        </div>
      </form>
      <ErrorNote error={act.error} />
      {act.data && (
        <SuccessNote>
          {act.data.account.name} ({act.data.account.number}) is now {act.data.account.status}.
        </SuccessNote>
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
        <div role="status" className={check.data.ok ? "success-note" : "error-note"}>
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
        <Loading />
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
