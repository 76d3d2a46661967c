import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../app/auth";
import { ErrorNote, Loading } from "../../components/Feedback";
import { formatMoney, formatPercent, signOf } from "../../lib/money";

/** Watchlist shows watched symbols with live quotes. */
export function Watchlist({ onPick }: { onPick: (s: string) => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ["watchlist"], queryFn: api.watchlist });
  const symbols = (list.data?.items ?? []).map((w) => w.symbol);
  const quotes = useQuery({
    queryKey: ["quotes", symbols.join(",")],
    queryFn: () => api.quotes(symbols),
    enabled: symbols.length > 0,
    refetchInterval: 60_000,
  });
  const remove = useMutation({
    mutationFn: (s: string) => api.unwatch(s),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["watchlist"] }),
  });
  const bySymbol = new Map((quotes.data?.items ?? []).map((q) => [q.symbol, q]));

  return (
    <section className="panel" aria-labelledby="watch-h">
      <h2 id="watch-h">Watchlist</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNote error={list.error} />
      ) : symbols.length === 0 ? (
        <p className="muted">Add symbols to your watchlist to follow their prices.</p>
      ) : (
        <ul className="rows">
          {symbols.map((s) => {
            const q = bySymbol.get(s);
            return (
              <li key={s} className="row">
                <button type="button" className="link-button" onClick={() => onPick(s)}>
                  <strong>{s}</strong>
                </button>
                <span className="num">
                  {q ? formatMoney(q.price, q.currency) : "—"}{" "}
                  {q && <span className={signOf(q.change_percent) < 0 ? "neg" : "pos"}>{formatPercent(q.change_percent)}</span>}
                </span>
                <button type="button" className="btn btn-ghost" onClick={() => remove.mutate(s)} aria-label={`Remove ${s} from watchlist`}>
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <ErrorNote error={remove.error ?? quotes.error} />
    </section>
  );
}
