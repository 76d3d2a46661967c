import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import type { HistoryRange } from "../../api/types";
import { useApi } from "../../app/auth";
import { LineChart } from "../../charts";
import { EmptyState, ErrorNote, Skeleton } from "../../components/Feedback";
import { ChevronLeft, Receipt, Star } from "../../components/icons";
import { Money } from "../../components/Money";
import { PageTitle } from "../../components/PageTitle";
import { RANGES, Segmented } from "../../components/Segmented";
import { formatDateTime } from "../../lib/dates";
import { parseDec, toChartNumber } from "../../lib/decimal";
import { formatMoney, formatPercent, formatQuantity, signOf } from "../../lib/money";
import { useBrokerage, useInstruments } from "./hooks";
import { OrderForm } from "./OrderForm";
import { useFeatures } from "../../app/features";
import { assetClass } from "../../lib/instruments";

/**
 * SymbolPage is one stock or crypto: quote and price chart, your position in
 * it (quantity, average cost, P&L since purchase and today), your orders in
 * it, the watch toggle and the order form.
 */
export default function SymbolPage() {
  const { symbol: raw = "" } = useParams();
  const symbol = decodeURIComponent(raw).toUpperCase();
  const api = useApi();
  const qc = useQueryClient();
  const [range, setRange] = useState<HistoryRange>("1mo");
  const { brokerage } = useBrokerage();
  const instrument = useInstruments([symbol]).get(symbol);
  const quote = useQuery({ queryKey: ["quote", symbol], queryFn: () => api.quotes([symbol]), refetchInterval: 30_000 });
  const hist = useQuery({ queryKey: ["history", symbol, range], queryFn: () => api.history(symbol, range) });
  const portfolio = useQuery({ queryKey: ["portfolio"], queryFn: () => api.portfolio(), enabled: brokerage.length > 0 });
  const orders = useQuery({ queryKey: ["orders", "all"], queryFn: () => api.orders({ limit: 200 }), enabled: brokerage.length > 0 });
  const watch = useQuery({ queryKey: ["watchlist"], queryFn: api.watchlist });
  const watched = (watch.data?.items ?? []).some((w) => w.symbol === symbol);
  const toggle = useMutation({
    mutationFn: () => (watched ? api.unwatch(symbol) : api.watch(symbol)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["watchlist"] }),
  });
  const q = quote.data?.items[0];
  const { crypto } = useFeatures();
  const currency = q?.currency ?? hist.data?.currency ?? "USD";
  const points = (hist.data?.points ?? []).map((p) => ({
    t: p.t,
    v: toChartNumber(parseDec(p.price) ?? { units: 0n, scale: 0 }),
    label: formatMoney(p.price, currency, { minDigits: true }),
  }));
  const position = portfolio.data?.holdings.find((h) => h.symbol === symbol);
  const mine = (orders.data?.items ?? []).filter((o) => o.symbol === symbol);

  return (
    <div className="page">
      <Link to="/invest" className="back-link">
        <ChevronLeft aria-hidden="true" />
        Invest
      </Link>
      <PageTitle
        subtitle={instrument ? `${symbol} · ${instrument.type === "crypto" ? "Crypto" : instrument.exchange}` : symbol}
        actions={
          <button type="button" className="btn" aria-pressed={watched} onClick={() => toggle.mutate()} disabled={toggle.isPending}>
            <Star aria-hidden="true" className={watched ? "star-on" : undefined} />
            {watched ? "On watchlist" : "Add to watchlist"}
          </button>
        }
      >
        {instrument?.name ?? symbol}
      </PageTitle>
      <ErrorNote error={toggle.error} />
      <section className="panel" aria-label="Price">
        {quote.isPending ? (
          <Skeleton lines={1} label="Loading the quote…" />
        ) : quote.isError ? (
          <ErrorNote error={quote.error} />
        ) : q ? (
          <div className="quote-head">
            <div>
              <p className="hero-value" data-testid="quote-price">
                {formatMoney(q.price, q.currency, { minDigits: true })}
              </p>
              <p className={signOf(q.change) < 0 ? "neg" : "pos"}>
                {formatMoney(q.change, q.currency, { sign: true, minDigits: true })} ({formatPercent(q.change_percent)}) today
                <span className="muted small">
                  {" "}
                  · as of {formatDateTime(q.as_of)}
                  {q.stale ? " · delayed" : ""}
                </span>
              </p>
            </div>
            <Segmented label="Price chart range" options={RANGES} value={range} onChange={setRange} />
          </div>
        ) : null}
        {hist.isError ? (
          <ErrorNote error={hist.error} />
        ) : hist.isPending ? (
          <div className="chart-skeleton h-240" />
        ) : (
          <LineChart points={points} title={`${symbol} price`} currency={currency} />
        )}
      </section>

      <div className="two-col">
        <section className="panel" aria-labelledby="pos-h">
          <h2 id="pos-h">Your position</h2>
          {position ? (
            <dl className="stats-grid" data-testid="position">
              <div>
                <dt>Value</dt>
                <dd>
                  <Money amount={position.market_value} currency={currency} />
                </dd>
              </div>
              <div>
                <dt>Quantity</dt>
                <dd>{formatQuantity(position.quantity)}</dd>
              </div>
              <div>
                <dt>Average cost</dt>
                <dd>{formatMoney(position.average_cost, currency, { minDigits: true })}</dd>
              </div>
              <div>
                <dt>Since purchase</dt>
                <dd>
                  <Money amount={position.unrealized_pl} currency={currency} signed /> <span className="muted small">({formatPercent(position.unrealized_pl_percent)})</span>
                </dd>
              </div>
              <div>
                <dt>Today</dt>
                <dd data-testid="position-today">
                  <Money amount={position.day_change} currency={currency} signed />
                </dd>
              </div>
              <div>
                <dt>Share of portfolio</dt>
                <dd>{formatPercent(position.weight, { sign: false })}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted">You don't own {symbol}. Buy some below, from {formatMoney("1", currency)}.</p>
          )}
        </section>
        <section className="panel" aria-labelledby="trade-h">
          <h2 id="trade-h">Trade</h2>
          {brokerage.length === 0 ? (
            <p>
              <Link to="/invest">Open a brokerage account</Link> to trade.
            </p>
          ) : !crypto && assetClass(symbol, instrument) === "Crypto" ? (
            <p className="note note-info" data-testid="crypto-off">
              Crypto trading isn't available right now. Anything you already hold stays in your portfolio and keeps its value.
            </p>
          ) : q ? (
            <OrderForm symbol={symbol} quote={q} brokerage={brokerage} holding={position ?? null} />
          ) : (
            <Skeleton lines={3} label="Loading the quote…" />
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="orders-h">
        <h2 id="orders-h">Your {symbol} transactions</h2>
        {orders.isPending && brokerage.length > 0 ? (
          <Skeleton lines={3} label="Loading orders…" />
        ) : mine.length === 0 ? (
          <EmptyState icon={Receipt} title="No trades yet">
            Your buys and sells of {symbol} will be listed here.
          </EmptyState>
        ) : (
          <ul className="rows" aria-label={`${symbol} orders`}>
            {mine.map((o) => (
              <li key={o.id} className="row">
                <span className="row-main">
                  <strong>
                    {o.side === "buy" ? "Bought" : "Sold"} {formatQuantity(o.quantity)} {o.symbol}
                  </strong>
                  <span className="muted">
                    {formatDateTime(o.created_at)} · at {formatMoney(o.price, o.currency, { minDigits: true })}
                  </span>
                </span>
                <Money amount={o.side === "buy" ? `-${o.total}` : o.total} currency={o.currency} signed />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
