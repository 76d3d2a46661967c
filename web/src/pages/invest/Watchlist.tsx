import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { useApi } from "../../app/auth";
import { useFeatures } from "../../app/features";
import { EmptyState, ErrorNote, Skeleton } from "../../components/Feedback";
import { Star, X } from "../../components/icons";
import { Sparkline } from "../../components/Sparkline";
import { parseDec, toChartNumber } from "../../lib/decimal";
import { formatMoney, formatPercent, signOf } from "../../lib/money";

/** Watchlist shows watched symbols with live quotes and a month's sparkline. */
export function Watchlist() {
  const api = useApi();
  const qc = useQueryClient();
  const { crypto } = useFeatures();
  const list = useQuery({ queryKey: ["watchlist"], queryFn: api.watchlist });
  const symbols = (list.data?.items ?? []).map((w) => w.symbol).filter((s) => crypto || !/-USD$/.test(s));
  const quotes = useQuery({
    queryKey: ["quotes", symbols.join(",")],
    queryFn: () => api.quotes(symbols),
    enabled: symbols.length > 0,
    refetchInterval: 60_000,
  });
  const histories = useQueries({
    queries: symbols.map((s) => ({ queryKey: ["history", s, "1mo"], queryFn: () => api.history(s, "1mo"), staleTime: 300_000 })),
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
        <Skeleton lines={3} label="Loading your watchlist…" />
      ) : list.isError ? (
        <ErrorNote error={list.error} />
      ) : symbols.length === 0 ? (
        <EmptyState icon={Star} title="Nothing on your watchlist">
          Open any stock or crypto and tap “Add to watchlist” to follow its price here.
        </EmptyState>
      ) : (
        <ul className="watchlist">
          {symbols.map((s, i) => {
            const q = bySymbol.get(s);
            const pts = histories[i]?.data?.points ?? [];
            return (
              <li key={s} className="watch-row">
                <Link to={`/invest/${encodeURIComponent(s)}`} className="watch-symbol">
                  {s}
                </Link>
                <Sparkline values={pts.map((p) => toChartNumber(parseDec(p.price) ?? { units: 0n, scale: 0 }))} label={`${s}, past month`} />
                <span className="watch-quote">
                  <span className="watch-price">{q ? formatMoney(q.price, q.currency, { minDigits: true }) : "—"}</span>
                  {q && <span className={signOf(q.change_percent) < 0 ? "neg" : "pos"}>{formatPercent(q.change_percent)}</span>}
                </span>
                <button type="button" className="icon-button" onClick={() => remove.mutate(s)} aria-label={`Remove ${s} from watchlist`}>
                  <X aria-hidden="true" />
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
