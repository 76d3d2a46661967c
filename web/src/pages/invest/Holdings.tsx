import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { HistoryRange } from "../../api/types";
import { useApi } from "../../app/auth";
import { DonutChart, LineChart } from "../../charts";
import { ErrorNote, Loading } from "../../components/Feedback";
import { Money } from "../../components/Money";
import { tickFormatFor } from "../../lib/dates";
import { parseDec, toChartNumber } from "../../lib/decimal";
import { formatMoney, formatPercent, formatQuantity, signOf } from "../../lib/money";

/** Holdings shows the portfolio: value, P&L table, allocation and value over time. */
export function Holdings() {
  const api = useApi();
  const [range, setRange] = useState<HistoryRange>("1mo");
  const p = useQuery({ queryKey: ["portfolio"], queryFn: () => api.portfolio() });
  const h = useQuery({ queryKey: ["portfolio", "history", range], queryFn: () => api.portfolioHistory(range) });
  if (p.isPending) return <Loading label="Loading portfolio…" />;
  if (p.isError) return <ErrorNote error={p.error} />;
  const cur = p.data.currency ?? "USD";
  const slices = p.data.holdings.map((x) => ({
    name: x.symbol,
    value: toChartNumber(parseDec(x.market_value) ?? { units: 0n, scale: 0 }),
    label: `${formatMoney(x.market_value, cur)} · ${formatPercent(x.weight, { sign: false })}`,
  }));
  const cash = parseDec(p.data.cash);
  if (cash && cash.units > 0n) slices.push({ name: "Cash", value: toChartNumber(cash), label: formatMoney(p.data.cash, cur) });
  const points = (h.data?.points ?? []).map((pt) => ({
    t: pt.t,
    v: toChartNumber(parseDec(pt.value) ?? { units: 0n, scale: 0 }),
    label: formatMoney(pt.value, cur),
  }));

  return (
    <>
      <section className="panel" aria-labelledby="port-h">
        <h2 id="port-h">Your portfolio</h2>
        <div className="summary">
          <div className="stat">
            <p className="stat-label">Total value</p>
            <p className="stat-value">
              <Money amount={p.data.total_value} currency={cur} />
            </p>
          </div>
          <div className="stat">
            <p className="stat-label">Cash</p>
            <p className="stat-value small">
              <Money amount={p.data.cash} currency={cur} />
            </p>
          </div>
          <div className="stat">
            <p className="stat-label">Today</p>
            <p className="stat-value small">
              <Money amount={p.data.day_change} currency={cur} signed />
            </p>
          </div>
          <div className="stat">
            <p className="stat-label">Realized P&amp;L</p>
            <p className="stat-value small">
              <Money amount={p.data.realized_pl} currency={cur} signed />
            </p>
          </div>
        </div>
        {p.data.holdings.length === 0 ? (
          <p className="muted">You don’t own any investments yet. Search for a symbol to buy.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Holdings, scrollable">
            <table className="holdings" aria-label="Holdings">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col" className="num">Quantity</th>
                  <th scope="col" className="num">Avg cost</th>
                  <th scope="col" className="num">Price</th>
                  <th scope="col" className="num">Value</th>
                  <th scope="col" className="num">P&amp;L</th>
                  <th scope="col" className="num">Weight</th>
                </tr>
              </thead>
              <tbody>
                {p.data.holdings.map((x) => (
                  <tr key={x.symbol}>
                    <th scope="row">{x.symbol}</th>
                    <td className="num">{formatQuantity(x.quantity)}</td>
                    <td className="num">{formatMoney(x.average_cost, cur)}</td>
                    <td className="num">{formatMoney(x.price, cur)}</td>
                    <td className="num">{formatMoney(x.market_value, cur)}</td>
                    <td className={`num ${signOf(x.unrealized_pl) < 0 ? "neg" : "pos"}`}>
                      {formatMoney(x.unrealized_pl, cur, { sign: true })} ({formatPercent(x.unrealized_pl_percent)})
                    </td>
                    <td className="num">{formatPercent(x.weight, { sign: false })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <div className="two-col">
        <section className="panel" aria-labelledby="alloc-h" data-testid="allocation">
          <h2 id="alloc-h">Allocation</h2>
          <DonutChart slices={slices} title="Allocation" />
        </section>
        <section className="panel" aria-labelledby="pv-h">
          <div className="section-head">
            <h2 id="pv-h">Portfolio value</h2>
            <div className="range-tabs" role="group" aria-label="Portfolio chart range">
              {(["1mo", "6mo", "1y", "5y"] as HistoryRange[]).map((r) => (
                <button key={r} type="button" className="btn btn-small" aria-pressed={range === r} onClick={() => setRange(r)}>
                  {r.toUpperCase()}
                </button>
              ))}
            </div>
          </div>
          {h.isError ? <ErrorNote error={h.error} /> : <LineChart points={points} title="Portfolio value" tickFormat={tickFormatFor(points.map((p) => p.t))} />}
        </section>
      </div>
    </>
  );
}
