import type { Account, Entry } from "../../api/types";
import { ArrowDownLeft, ArrowDownToLine, ArrowLeftRight, ArrowUpFromLine, ArrowUpRight, Coins, type LucideIcon, Receipt, Repeat, TrendingDown, TrendingUp } from "../../components/icons";
import { Money } from "../../components/Money";
import { formatDate, formatTime } from "../../lib/dates";
import { formatMoney, formatQuantity } from "../../lib/money";

const KIND_LABELS: Record<Entry["kind"], string> = {
  deposit: "Money added",
  withdrawal: "Withdrawal",
  transfer_in: "Money in",
  transfer_out: "Money out",
  trade_buy: "Bought",
  trade_sell: "Sold",
  fee: "Fee",
  interest: "Interest",
  exchange_out: "Exchanged",
  exchange_in: "Exchanged",
};

const KIND_ICONS: Record<Entry["kind"], LucideIcon> = {
  deposit: ArrowDownToLine,
  withdrawal: ArrowUpFromLine,
  transfer_in: ArrowDownLeft,
  transfer_out: ArrowUpRight,
  trade_buy: TrendingUp,
  trade_sell: TrendingDown,
  fee: Receipt,
  interest: Coins,
  exchange_out: Repeat,
  exchange_in: Repeat,
};

/** tradeText rewrites an older trade description ("Sell 0.50000000 AAPL @ 259.09") the way new ones read. */
export function tradeText(description: string, currency: string): string {
  const m = /^(Buy|Sell) ([\d.]+) (\S+) @ ([\d.]+)$/.exec(description);
  if (!m) return description;
  return `${m[1] === "Buy" ? "Bought" : "Sold"} ${formatQuantity(m[2])} ${m[3]} at ${formatMoney(m[4], currency, { minDigits: true })}`;
}

/**
 * entryTitle is the main line of an entry: between the customer's own
 * accounts, the other account's name ("To Savings"); otherwise the other
 * person, the trade, or the description.
 */
export function entryTitle(e: Entry, own: Map<string, Account> = new Map()): string {
  const mine = e.counterparty ? own.get(e.counterparty.account_number) : undefined;
  if (mine) return e.kind === "transfer_out" ? `To ${mine.name}` : `From ${mine.name}`;
  if (e.kind === "trade_buy" || e.kind === "trade_sell") return tradeText(e.description, e.currency);
  return e.counterparty?.name || e.description || KIND_LABELS[e.kind];
}

/** ownAccounts indexes a customer's accounts by number. */
export function ownAccounts(accounts: Account[]): Map<string, Account> {
  return new Map(accounts.map((a) => [a.number, a]));
}

/** EntryList is a list of ledger entries, grouped by day, with signed, exact amounts. */
export function EntryList({
  entries,
  accounts = [],
  showBalance = false,
  empty,
}: {
  entries: Entry[];
  accounts?: Account[];
  showBalance?: boolean;
  empty?: React.ReactNode;
}) {
  if (entries.length === 0) return <>{empty ?? <p className="muted">No transactions.</p>}</>;
  const own = ownAccounts(accounts);
  const days: { day: string; items: Entry[] }[] = [];
  for (const e of entries) {
    const day = formatDate(e.created_at);
    const last = days[days.length - 1];
    if (last && last.day === day) last.items.push(e);
    else days.push({ day, items: [e] });
  }
  return (
    <div className="entries">
      {days.map(({ day, items }) => (
        <section key={day} className="entry-day" aria-label={day}>
          <h3 className="entry-day-title">{day}</h3>
          <ul>
            {items.map((e) => {
              const Icon = KIND_ICONS[e.kind] ?? ArrowLeftRight;
              const title = entryTitle(e, own);
              const extra = e.description && title !== e.description && !e.kind.startsWith("trade") ? e.description : "";
              return (
                <li key={e.id} className={`entry kind-${e.kind}`}>
                  <span className="entry-icon" aria-hidden="true">
                    <Icon />
                  </span>
                  <span className="entry-main">
                    <span className="entry-title">{title}</span>
                    <span className="entry-meta">
                      {KIND_LABELS[e.kind]} · {formatTime(e.created_at)}
                      {extra ? ` · ${extra}` : ""}
                    </span>
                  </span>
                  <span className="entry-amounts">
                    <Money amount={e.amount} currency={e.currency} signed />
                    {showBalance && (
                      <span className="entry-balance">
                        <Money amount={e.balance_after} currency={e.currency} />
                      </span>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
