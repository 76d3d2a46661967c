import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../app/auth";
import { ErrorNote, Skeleton } from "../../components/Feedback";
import { Monitor, Smartphone } from "../../components/icons";
import { formatDateTime } from "../../lib/dates";
import { describeAgent, describePlace } from "../../lib/device";

/** Sessions lists where the customer is signed in and signs other devices out. */
export function Sessions() {
  const api = useApi();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ["sessions"], queryFn: api.sessions });
  const revoke = useMutation({
    mutationFn: (id: string) => api.revokeSession(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["sessions"] }),
  });
  const items = [...(list.data?.items ?? [])].sort((a, b) => Number(b.current) - Number(a.current));
  return (
    <section className="panel" aria-labelledby="sess-h">
      <h2 id="sess-h">Where you're signed in</h2>
      {list.isPending ? (
        <Skeleton lines={2} label="Loading sessions…" />
      ) : list.isError ? (
        <ErrorNote error={list.error} />
      ) : (
        <ul className="rows">
          {items.map((s) => {
            const device = describeAgent(s.user_agent);
            const Icon = /Android|iOS/.test(device) ? Smartphone : Monitor;
            return (
              <li key={s.id} className="row">
                <span className="row-icon" aria-hidden="true">
                  <Icon />
                </span>
                <span className="row-main">
                  <strong>
                    {s.current ? "This device" : device}
                    {s.current && <span className="badge badge-active">Current</span>}
                  </strong>
                  <span className="muted">
                    {s.current ? `${device} · ` : `${describePlace(s.ip)} · `}
                    signed in {formatDateTime(s.created_at)}
                    {!s.current && ` · last active ${formatDateTime(s.last_used_at)}`}
                  </span>
                </span>
                {!s.current && (
                  <button type="button" className="btn btn-small" onClick={() => revoke.mutate(s.id)} aria-label={`Sign out ${device} session`}>
                    Sign out
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorNote error={revoke.error} />
    </section>
  );
}
