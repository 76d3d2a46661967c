import { useQueries, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link } from "react-router";
import type { Entry } from "../../api/types";
import { useApi, useAuth } from "../../app/auth";
import { DonutChart, LineChart } from "../../charts";
import { EmptyState, ErrorNote, Skeleton } from "../../components/Feedback";
import { ArrowDownToLine, ChartLine, Inbox, Plus, Send } from "../../components/icons";
import { Money } from "../../components/Money";
import { PageTitle } from "../../components/PageTitle";
import { sumAmounts } from "../../lib/money";
import { AccountCard } from "../accounts/AccountCard";
import { EntryList } from "../accounts/EntryList";
import { balanceSeries, holdingsValue, spendingByCounterparty, totalsByCurrency } from "./derive";

const CURRENCY_NAMES: Record<string, string> = { EUR: "euros", GBP: "pounds", USD: "dollars" };

/** Dashboard shows what you have, what moved, and the next things to do. */
export default function Dashboard() {
  const api = useApi();
  const { user } = useAuth();
  const accounts = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  const open = (accounts.data?.items ?? []).filter((a) => a.status !== "closed");
  const hasBrokerage = open.some((a) => a.type === "brokerage");
  const portfolio = useQuery({ queryKey: ["portfolio"], queryFn: () => api.portfolio(), retry: false, enabled: hasBrokerage });
  const histories = useQueries({
    queries: open.map((a) => ({
      queryKey: ["transactions", a.id, "dashboard"],
      queryFn: () => api.transactions(a.id, { limit: 100 }),
    })),
  });

  // Lighthouse and the e2e read this mark: the totals are on screen.
  const ready = accounts.isSuccess;
  useEffect(() => {
    if (ready && performance.getEntriesByName("dashboard-ready").length === 0) {
      requestAnimationFrame(() => performance.mark("dashboard-ready"));
    }
  }, [ready]);

  const first = user?.full_name.split(" ")[0] ?? "there";
  if (accounts.isPending) return <Skeleton variant="page" label="Loading your dashboard…" />;
  if (accounts.isError) return <ErrorNote error={accounts.error} />;

  const totals = totalsByCurrency(open);
  const cash = totals.get("USD") ?? "0.00";
  const invested = holdingsValue(portfolio.data?.holdings ?? []);
  const netWorth = sumAmounts([cash, invested], "USD");
  const byAccount = new Map<string, Entry[]>();
  open.forEach((a, i) => byAccount.set(a.id, histories[i]?.data?.items ?? []));
  const allEntries = [...byAccount.values()].flat().sort((a, b) => b.created_at.localeCompare(a.created_at));
  const loadingHistory = histories.some((h) => h.isPending);
  const series = balanceSeries(byAccount, "USD");
  const spending = spendingByCounterparty(allEntries, "USD", new Set(open.map((a) => a.number)));
  const others = [...totals].filter(([c]) => c !== "USD");

  return (
    <div className="page dashboard">
      <PageTitle>{`Hello, ${first}`}</PageTitle>
      <section className="hero" aria-label="Totals">
        <div className="hero-main">
          <h2 className="stat-label">Net worth</h2>
          <p className="hero-value" data-testid="net-worth">
            <Money amount={netWorth} currency="USD" />
          </p>
          <dl className="hero-split">
            <div>
              <dt>Cash</dt>
              <dd data-testid="total-balance">
                <Money amount={cash} currency="USD" />
              </dd>
            </div>
            <div>
              <dt>Investments</dt>
              <dd>
                <Money amount={invested} currency="USD" />
              </dd>
            </div>
            {others.map(([c, v]) => (
              <div key={c}>
                <dt>In {CURRENCY_NAMES[c] ?? c}</dt>
                <dd>
                  <Money amount={v} currency={c} />
                </dd>
              </div>
            ))}
          </dl>
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
          <Link className="quick" to="/move/withdraw">
            <span className="quick-icon" aria-hidden="true">
              <ArrowDownToLine />
            </span>
            Withdraw
          </Link>
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

      <div className="two-col">
        <section className="panel" aria-labelledby="bal-h">
          <div className="section-head">
            <h2 id="bal-h">Cash over time</h2>
            <span className="muted small">US dollar accounts</span>
          </div>
          {loadingHistory ? (
            <div className="chart-skeleton h-240" />
          ) : series.length < 2 ? (
            <EmptyState icon={ChartLine} title="Your balance chart starts with your first payment">
              <Link to="/move/deposit">Add money</Link> to see it move.
            </EmptyState>
          ) : (
            <LineChart points={series} title="Cash in US dollars" currency="USD" variant="step" />
          )}
        </section>
        <section className="panel" aria-labelledby="spend-h">
          <div className="section-head">
            <h2 id="spend-h">Where your money went</h2>
            <span className="muted small">By recipient</span>
          </div>
          {loadingHistory ? (
            <div className="chart-skeleton h-180" />
          ) : spending.length === 0 ? (
            <EmptyState icon={Send} title="No spending yet">
              Payments and withdrawals will show here by who received them.
            </EmptyState>
          ) : (
            <DonutChart slices={spending} title="Spending by recipient" />
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="recent-h">
        <div className="section-head">
          <h2 id="recent-h">Recent activity</h2>
        </div>
        {loadingHistory ? (
          <Skeleton lines={4} label="Loading activity…" />
        ) : (
          <EntryList
            entries={allEntries.slice(0, 8)}
            accounts={open}
            empty={
              <EmptyState icon={Inbox} title="No activity yet" action={<Link className="btn btn-primary" to="/move/deposit">Add money</Link>}>
                Add money to your account to get started.
              </EmptyState>
            }
          />
        )}
      </section>
    </div>
  );
}
