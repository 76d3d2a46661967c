import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useEffect, useMemo } from "react";
import { Link } from "react-router";
import type { Account, Entry, Page } from "../../api/types";
import { useApi, useAuth } from "../../app/auth";
import { DonutChart, LineChart } from "../../charts";
import { EmptyState, ErrorNote, Skeleton } from "../../components/Feedback";
import { ArrowDownToLine, ChartLine, Inbox, Plus, Repeat, Send } from "../../components/icons";
import { Money } from "../../components/Money";
import { PageTitle } from "../../components/PageTitle";
import { AccountCard } from "../accounts/AccountCard";
import { EntryList } from "../accounts/EntryList";
import { balanceSeries, spendingByCounterparty, totalsByCurrency } from "./derive";

const CURRENCY_NAMES: Record<string, string> = { EUR: "euros", GBP: "pounds", USD: "dollars" };

/** Dashboard shows what you have, what moved, and the next things to do. */
export default function Dashboard() {
  const api = useApi();
  const { user } = useAuth();
  const accounts = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  // Data arriving re-renders the page in a transition (sliced), not in one long task.
  const accountsData = useDeferredValue(accounts.data);
  const open = (accountsData?.items ?? []).filter((a) => a.status !== "closed");
  // Everything below the totals comes in one answer (each account's recent
  // entries, fetched in parallel), so the page renders once when it arrives
  // instead of once per request.
  const ids = open.map((a) => a.id);
  const rest = useQuery({
    queryKey: ["dashboard", ids],
    enabled: accounts.isSuccess,
    queryFn: async () => {
      const pages = await Promise.all(ids.map((id) => api.transactions(id, { limit: 100 })));
      return { pages };
    },
  });

  const restData = useDeferredValue(rest.data);
  // Net worth values every account and holding in the customer's base currency (GET /overview).
  const overview = useQuery({ queryKey: ["overview", user?.base_currency], queryFn: api.overview });

  // Lighthouse and the e2e read this mark: the totals are on screen.
  const ready = accounts.isSuccess && !overview.isPending;
  useEffect(() => {
    if (ready && performance.getEntriesByName("dashboard-ready").length === 0) {
      requestAnimationFrame(() => performance.mark("dashboard-ready"));
    }
  }, [ready]);

  const first = user?.full_name.split(" ")[0] ?? "there";
  if (accounts.isPending || (accounts.isSuccess && !accountsData)) return <Skeleton variant="page" label="Loading your dashboard…" />;
  if (accounts.isError) return <ErrorNote error={accounts.error} />;

  const totals = totalsByCurrency(open);
  const ov = overview.data;
  const base = ov?.base_currency ?? user?.base_currency ?? "USD";
  // Each currency's own total is shown beside the base-currency figures when the customer holds more than one.
  const others = totals.size > 1 || !totals.has(base) ? [...totals] : [];
  const historyPages = restData?.pages ?? null;
  const pending = !ov;

  return (
    <div className="page dashboard">
      <PageTitle>{`Hello, ${first}`}</PageTitle>
      <section className="hero" aria-label="Totals">
        <div className="hero-main">
          <h2 className="stat-label">Net worth</h2>
          <p className="hero-value" data-testid="net-worth">
            {pending ? <span className="muted-hero">—</span> : <Money amount={ov.net_worth} currency={ov.base_currency} />}
          </p>
          <dl className="hero-split">
            <div>
              <dt>Cash</dt>
              <dd data-testid="total-balance">{pending ? "—" : <Money amount={ov.cash} currency={ov.base_currency} />}</dd>
            </div>
            <div>
              <dt>Investments</dt>
              <dd data-testid="total-investments">{pending ? "—" : <Money amount={ov.investments} currency={ov.base_currency} />}</dd>
            </div>
            {others.map(([c, v]) => (
              <div key={c}>
                <dt>Held in {CURRENCY_NAMES[c] ?? c}</dt>
                <dd>
                  <Money amount={v} currency={c} />
                </dd>
              </div>
            ))}
          </dl>
          {overview.isError && <ErrorNote error={overview.error} />}
          {ov && (
            <p className="muted small" data-testid="net-worth-note">
              {`In ${CURRENCY_NAMES[base] ?? base} at mid-market rates${ov.rates_stale ? " (rates may be a few minutes old)" : ""}. `}
              <Link to="/settings#base-currency">Change currency</Link>
            </p>
          )}
        </div>
        <nav className="quick-actions" aria-label="Quick actions">
          <Link className="quick" to="/move/transfer">
            <span className="quick-icon" aria-hidden="true">
              <Send />
            </span>
            Send
          </Link>
          <Link className="quick" to="/move/deposit">
            <span className="quick-icon" aria-hidden="true">
              <Plus />
            </span>
            Add money
          </Link>
          {totals.size > 1 ? (
            <Link className="quick" to="/move/exchange">
              <span className="quick-icon" aria-hidden="true">
                <Repeat />
              </span>
              Exchange
            </Link>
          ) : (
            <Link className="quick" to="/move/withdraw">
              <span className="quick-icon" aria-hidden="true">
                <ArrowDownToLine />
              </span>
              Withdraw
            </Link>
          )}
          <Link className="quick" to="/invest">
            <span className="quick-icon" aria-hidden="true">
              <ChartLine />
            </span>
            Invest
          </Link>
        </nav>
      </section>

      <section aria-labelledby="accounts-h">
        <div className="section-head">
          <h2 id="accounts-h">Accounts</h2>
          <Link to="/accounts" className="link-more">
            See all
          </Link>
        </div>
        <ul className="card-grid">
          {open.map((a) => (
            <li key={a.id}>
              <AccountCard account={a} />
            </li>
          ))}
        </ul>
      </section>

      <History accounts={open} pages={historyPages} />
    </div>
  );
}

/**
 * History draws what needs every account's entries: the cash chart, spending
 * and recent activity. It renders from a deferred copy of the data, so React
 * builds it in small time slices after the totals are on screen instead of in
 * one long task.
 */
function History({ accounts, pages }: { accounts: Account[]; pages: Page<Entry>[] | null }) {
  const key = pages ? pages.map((p) => p.items[0]?.id ?? "").join() + accounts.map((a) => a.id).join() : "";
  const data = useMemo(() => (pages ? { accounts, pages } : null), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const deferred = useDeferredValue(data, null);
  const derived = useMemo(() => {
    if (!deferred) return null;
    const byAccount = new Map<string, Entry[]>();
    deferred.accounts.forEach((a, i) => byAccount.set(a.id, deferred.pages[i]?.items ?? []));
    const all = [...byAccount.values()].flat().sort((x, y) => y.created_at.localeCompare(x.created_at));
    return {
      all,
      series: balanceSeries(byAccount, "USD"),
      spending: spendingByCounterparty(all, "USD", new Set(deferred.accounts.map((a) => a.number))),
    };
  }, [deferred]);
  if (!derived) {
    return (
      <>
        <div className="two-col">
          <section className="panel" aria-label="Cash over time">
            <div className="chart-skeleton h-240" />
          </section>
          <section className="panel" aria-label="Where your money went">
            <div className="chart-skeleton h-240" />
          </section>
        </div>
        <section className="panel" aria-label="Recent activity">
          <Skeleton lines={4} label="Loading activity…" />
        </section>
      </>
    );
  }
  return (
    <>
      <div className="two-col">
        <section className="panel" aria-labelledby="bal-h">
          <div className="section-head">
            <h2 id="bal-h">Cash over time</h2>
            <span className="muted small">US dollar accounts</span>
          </div>
          {derived.series.length < 2 ? (
            <EmptyState icon={ChartLine} title="Your balance chart starts with your first payment">
              <Link to="/move/deposit">Add money</Link> to see it move.
            </EmptyState>
          ) : (
            <LineChart points={derived.series} title="Cash in US dollars" currency="USD" variant="step" />
          )}
        </section>
        <section className="panel" aria-labelledby="spend-h">
          <div className="section-head">
            <h2 id="spend-h">Where your money went</h2>
            <span className="muted small">By recipient</span>
          </div>
          {derived.spending.length === 0 ? (
            <EmptyState icon={Send} title="No spending yet">
              Payments and withdrawals will show here by who received them.
            </EmptyState>
          ) : (
            <DonutChart slices={derived.spending} title="Spending by recipient" />
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="recent-h">
        <div className="section-head">
          <h2 id="recent-h">Recent activity</h2>
        </div>
        <EntryList
          entries={derived.all.slice(0, 8)}
          accounts={accounts}
          empty={
            <EmptyState icon={Inbox} title="No activity yet" action={<Link className="btn btn-primary" to="/move/deposit">Add money</Link>}>
              Add money to your account to get started.
            </EmptyState>
          }
        />
      </section>
    </>
  );
}
