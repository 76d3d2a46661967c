import type { Entry } from "../../api/types";
import { Money } from "../../components/Money";
import { formatDateTime } from "../../lib/dates";

const KIND_LABELS: Record<Entry["kind"], string> = {
  deposit: "Deposit",
  withdrawal: "Withdrawal",
  transfer_in: "Money in",
  transfer_out: "Money out",
  trade_buy: "Buy",
  trade_sell: "Sell",
  fee: "Fee",
  interest: "Interest",
};

/** entryTitle is the main line shown for an entry. */
export function entryTitle(e: Entry): string {
  return e.counterparty?.name || e.description || KIND_LABELS[e.kind];
}

/** EntryList is a list of ledger entries with signed, exact amounts. */
export function EntryList({
  entries,
  showBalance = false,
  empty = "No transactions.",
}: {
  entries: Entry[];
  showBalance?: boolean;
  empty?: string;
}) {
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="entries">
      {entries.map((e) => (
        <li key={e.id} className="entry">
          <div className="entry-main">
            <span className="entry-title">{entryTitle(e)}</span>
            <span className="entry-meta">
              {KIND_LABELS[e.kind]} · {formatDateTime(e.created_at)}
              {e.description && e.counterparty ? ` · ${e.description}` : ""}
            </span>
          </div>
          <div className="entry-amounts">
            <Money amount={e.amount} currency={e.currency} signed />
            {showBalance && (
              <span className="entry-balance">
                Balance <Money amount={e.balance_after} currency={e.currency} />
              </span>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

