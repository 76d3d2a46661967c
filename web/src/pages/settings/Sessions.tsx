import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../app/auth";
import { ErrorNote, Loading } from "../../components/Feedback";
import { formatDateTime } from "../../lib/dates";

/** describeAgent turns a User-Agent into a short "Chrome on Linux" label. */
export function describeAgent(ua: string): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua) ? "Edge" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Firefox\//.test(ua) ? "Firefox" : /Safari\//.test(ua) ? "Safari" : ua.split(" ")[0] ?? "Browser";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS" : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

/** Sessions lists signed-in devices and revokes them. */
export function Sessions() {
  const api = useApi();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ["sessions"], queryFn: api.sessions });
  const revoke = useMutation({
    mutationFn: (id: string) => api.revokeSession(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["sessions"] }),
  });
  return (
    <section className="panel" aria-labelledby="sess-h">
      <h2 id="sess-h">Where you’re signed in</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNote error={list.error} />
      ) : (
        <ul className="rows">
          {list.data.items.map((s) => (
            <li key={s.id} className="row">
              <span>
                <strong>{describeAgent(s.user_agent)}</strong> {s.current && <span className="badge badge-active">This device</span>}
                <br />
                <span className="muted">
                  {s.ip} · signed in {formatDateTime(s.created_at)} · last active {formatDateTime(s.last_used_at)}
                </span>
              </span>
              {!s.current && (
                <button type="button" className="btn btn-ghost" onClick={() => revoke.mutate(s.id)} aria-label={`Sign out ${describeAgent(s.user_agent)} session`}>
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={revoke.error} />
    </section>
  );
}
