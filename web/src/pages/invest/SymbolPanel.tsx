import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Account, HistoryRange } from "../../api/types";
import { useApi } from "../../app/auth";
import { LineChart } from "../../charts";
import { ErrorNote, Loading } from "../../components/Feedback";
import { Money } from "../../components/Money";
import { formatDateTime, tickFormatFor } from "../../lib/dates";
import { parseDec, toChartNumber } from "../../lib/decimal";
import { formatMoney, formatPercent, signOf } from "../../lib/money";
import { OrderForm } from "./OrderForm";

const RANGES: { r: HistoryRange; label: string }[] = [
  { r: "1d", label: "1D" },
  { r: "5d", label: "5D" },
  { r: "1mo", label: "1M" },
  { r: "6mo", label: "6M" },
  { r: "1y", label: "1Y" },
  { r: "5y", label: "5Y" },
];

/** SymbolPanel shows one symbol's quote, price chart, watch toggle and order form. */
export function SymbolPanel({ symbol, brokerage }: { symbol: string; brokerage: Account[] }) {
  const api = useApi();
  const qc = useQueryClient();
  const [range, setRange] = useState<HistoryRange>("1mo");
  const quote = useQuery({ queryKey: ["quote", symbol], queryFn: () => api.quotes([symbol]), refetchInterval: 30_000 });
  const hist = useQuery({ queryKey: ["history", symbol, range], queryFn: () => api.history(symbol, range) });
  const watch = useQuery({ queryKey: ["watchlist"], queryFn: api.watchlist });
  const watched = (watch.data?.items ?? []).some((w) => w.symbol === symbol);
  const toggle = useMutation({
    mutationFn: () => (watched ? api.unwatch(symbol) : api.watch(symbol)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["watchlist"] }),
  });
  const q = quote.data?.items[0];
  const currency = q?.currency ?? hist.data?.currency ?? "USD";
  const points = (hist.data?.points ?? []).map((p) => ({
    t: p.t,
    v: toChartNumber(parseDec(p.price) ?? { units: 0n, scale: 0 }),
    label: formatMoney(p.price, currency),
  }));
  const tick = tickFormatFor(points.map((p) => p.t));

  return (
    <section className="panel" aria-labelledby="sym-h">
      <div className="section-head">
        <h2 id="sym-h">{symbol}</h2>
        <button type="button" className="btn" aria-pressed={watched} onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {watched ? "★ On watchlist" : "☆ Add to watchlist"}
        </button>
      </div>
      <ErrorNote error={toggle.error} />
      {quote.isPending ? (
        <Loading label="Loading quote…" />
      ) : quote.isError ? (
        <ErrorNote error={quote.error} />
      ) : q ? (
        <p className="quote">
          <span className="quote-price" data-testid="quote-price">
            <Money amount={q.price} currency={q.currency} />
          </span>{" "}
          <span className={signOf(q.change) < 0 ? "neg" : "pos"}>
            {formatMoney(q.change, q.currency, { sign: true })} ({formatPercent(q.change_percent)})
          </span>
          <span className="muted quote-asof">
            {" "}
            as of {formatDateTime(q.as_of)} · {q.source}
            {q.stale ? " · delayed" : ""}
          </span>
        </p>
      ) : null}
      <div className="range-tabs" role="group" aria-label="Chart range">
        {RANGES.map(({ r, label }) => (
          <button key={r} type="button" className="btn btn-small" aria-pressed={range === r} onClick={() => setRange(r)}>
            {label}
          </button>
        ))}
      </div>
      {hist.isError ? <ErrorNote error={hist.error} /> : hist.isPending ? <Loading label="Loading chart…" /> : <LineChart points={points} title={`${symbol} price`} tickFormat={tick} />}
      {brokerage.length > 0 && q && <OrderForm symbol={symbol} quote={q} brokerage={brokerage} />}
    </section>
  );
}
