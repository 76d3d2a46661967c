import { Link } from "react-router";
import type { Account } from "../../api/types";
import { Money } from "../../components/Money";
import { formatMoney } from "../../lib/money";

const TYPE_NAMES = { checking: "Checking", savings: "Savings", brokerage: "Brokerage" } as const;

/** maskNumber shows only the last four digits of an account number. */
export function maskNumber(n: string): string {
  return `•••• ${n.slice(-4)}`;
}

/** AccountCard is a linkable summary of one account. */
export function AccountCard({ account: a }: { account: Account }) {
  return (
    <Link to={`/accounts/${a.id}`} className={`account-card type-${a.type}`}>
      <span className="ac-name">{a.name}</span>
      <span className="ac-meta">
        {TYPE_NAMES[a.type]} · {maskNumber(a.number)}
        {a.status !== "active" && <span className={`badge badge-${a.status}`}>{a.status}</span>}
      </span>
      <span className="ac-balance">
        <Money amount={a.balance} currency={a.currency} />
      </span>
      {a.available_balance !== a.balance && (
        <span className="ac-avail">
          Available <Money amount={a.available_balance} currency={a.currency} />
        </span>
      )}
    </Link>
  );
}

/** accountLabel is the text used for an account in selects. */
export function accountLabel(a: Account): string {
  return `${a.name} (${maskNumber(a.number)}) · ${formatMoney(a.available_balance, a.currency)} available`;
}
