import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import type { Holding, HistoryRange } from "../../api/types";
import { useApi } from "../../app/auth";
import { DonutChart, LineChart } from "../../charts";
import { EmptyState, ErrorNote, Skeleton } from "../../components/Feedback";
import { ChartPie, ChevronRight, TrendingUp } from "../../components/icons";
import { Money } from "../../components/Money";
import { RANGES, Segmented } from "../../components/Segmented";
import { type Dec, add, parseDec, rescale, toChartNumber, toPlain } from "../../lib/decimal";
import { type AssetClass, assetClass } from "../../lib/instruments";
import { formatMoney, formatPercent, formatQuantity, signOf } from "../../lib/money";
import { useInstruments } from "./hooks";

const ZERO: Dec = { units: 0n, scale: 2 };

/** allocationByClass sums market values (and cash) per asset class, exactly. */
export function allocationByClass(holdings: Holding[], cash: string, classOf: (symbol: string) => AssetClass): Map<AssetClass, string> {
  const sums = new Map<AssetClass, Dec>();
  for (const h of holdings) {
    const c = classOf(h.symbol);
    sums.set(c, add(sums.get(c) ?? ZERO, parseDec(h.market_value) ?? ZERO));
  }
  const cd = parseDec(cash);
  if (cd && cd.units > 0n) sums.set("Cash", add(sums.get("Cash") ?? ZERO, cd));
  return new Map([...sums].map(([k, v]) => [k, toPlain(rescale(v, 2))]));
}

/** Portfolio is the brokerage overview: value, performance chart, allocation and holdings. */
export function Portfolio() {
  const api = useApi();
  const [range, setRange] = useState<HistoryRange>("6mo");
  const p = useQuery({ queryKey: ["portfolio"], queryFn: () => api.portfolio() });
  const h = useQuery({ queryKey: ["portfolio", "history", range], queryFn: () => api.portfolioHistory(range) });
  const symbols = p.data?.holdings.map((x) => x.symbol) ?? [];
  const instruments = useInstruments(symbols);
  if (p.isPending) return <Skeleton variant="page" label="Loading your portfolio…" />;
  if (p.isError) return <ErrorNote error={p.error} />;
  const cur = p.data.currency ?? "USD";
  const holdings = p.data.holdings;
  let unrealized = ZERO;
  for (const x of holdings) unrealized = add(unrealized, parseDec(x.unrealized_pl) ?? ZERO);
  const totalReturn = toPlain(rescale(add(unrealized, parseDec(p.data.realized_pl) ?? ZERO), 2));
  const byClass = allocationByClass(holdings, p.data.cash, (s) => assetClass(s, instruments.get(s)));
  const total = parseDec(p.data.total_value);
  const slices = [...byClass].map(([name, v]) => {
    const d = parseDec(v) ?? ZERO;
    const pct = total && total.units > 0n ? formatPercent(((Number(toPlain(d)) / Number(toPlain(total))) * 100).toFixed(2), { sign: false }) : "";
    return { name, value: toChartNumber(d), label: `${formatMoney(v, cur)}${pct ? ` · ${pct}` : ""}` };
  });
  const points = (h.data?.points ?? []).map((pt) => ({ t: pt.t, v: toChartNumber(parseDec(pt.value) ?? ZERO), label: formatMoney(pt.value, cur) }));

  return (
    <>
      <section className="panel portfolio" aria-labelledby="port-h">
        <div className="portfolio-head">
          <div>
            <h2 id="port-h" className="stat-label">
              Your portfolio
            </h2>
            <p className="hero-value" data-testid="portfolio-value">
              <Money amount={p.data.total_value} currency={cur} />
            </p>
            <dl className="hero-split">
              <div>
                <dt>Today</dt>
                <dd data-testid="portfolio-today">
                  <Money amount={p.data.day_change} currency={cur} signed />
                </dd>
              </div>
              <div>
                <dt>Total return</dt>
                <dd>
                  <Money amount={totalReturn} currency={cur} signed />
                </dd>
              </div>
              <div>
                <dt>Cash to invest</dt>
                <dd>
                  <Money amount={p.data.cash} currency={cur} />
                </dd>
              </div>
            </dl>
          </div>
          <Segmented label="Portfolio chart range" options={RANGES} value={range} onChange={setRange} />
        </div>
        {h.isError ? (
          <ErrorNote error={h.error} />
        ) : h.isPending ? (
          <div className="chart-skeleton h-240" />
        ) : points.length < 2 ? (
          <EmptyState icon={TrendingUp} title="Your chart starts with your first deposit">
            Move money into your brokerage account to see its value over time.
          </EmptyState>
        ) : (
          <LineChart points={points} title="Portfolio value" currency={cur} variant="step" />
        )}
      </section>

      <div className="two-col two-col-wide-left">
        <section className="panel" aria-labelledby="hold-h">
          <h2 id="hold-h">Holdings</h2>
          {holdings.length === 0 ? (
            <EmptyState icon={TrendingUp} title="You don't own any investments yet">
              Search for a stock, fund or crypto below and buy as little as $1.
            </EmptyState>
          ) : (
            <ul className="holdings" aria-label="Holdings">
              {holdings.map((x) => (
                <li key={x.symbol}>
                  <Link to={`/invest/${encodeURIComponent(x.symbol)}`} className="holding">
                    <span className="ticker" aria-hidden="true">
                      {x.symbol.replace(/-USD$/, "").slice(0, 4)}
                    </span>
                    <span className="holding-main">
                      <strong>{instruments.get(x.symbol)?.name ?? x.symbol}</strong>
                      <span className="muted">
                        {formatQuantity(x.quantity)} {x.symbol} · {formatMoney(x.price, cur, { minDigits: true })}
                      </span>
                    </span>
                    <span className="holding-nums">
                      <span className="holding-value">{formatMoney(x.market_value, cur)}</span>
                      <span className={signOf(x.unrealized_pl) < 0 ? "neg" : signOf(x.unrealized_pl) > 0 ? "pos" : "muted"}>
                        {formatMoney(x.unrealized_pl, cur, { sign: true })} ({formatPercent(x.unrealized_pl_percent)})
                      </span>
                    </span>
                    <ChevronRight aria-hidden="true" className="row-chevron" />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="alloc-h" data-testid="allocation">
          <h2 id="alloc-h">Allocation</h2>
          {slices.length === 0 ? (
            <EmptyState icon={ChartPie} title="Nothing to allocate yet" />
          ) : (
            <DonutChart slices={slices} title="Allocation by asset class" />
          )}
        </section>
      </div>
    </>
  );
}
