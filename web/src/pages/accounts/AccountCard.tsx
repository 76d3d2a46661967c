import { Link } from "react-router";
import type { Account } from "../../api/types";
import { Briefcase, Landmark, PiggyBank, Snowflake } from "../../components/icons";
import { Money } from "../../components/Money";
import { formatMoney } from "../../lib/money";

export const TYPE_NAMES = { checking: "Checking", savings: "Savings", brokerage: "Brokerage" } as const;
export const TYPE_ICONS = { checking: Landmark, savings: PiggyBank, brokerage: Briefcase } as const;

/** maskNumber shows only the last four digits of an account number. */
export function maskNumber(n: string): string {
  return `•• ${n.slice(-4)}`;
}

/** groupNumber spaces a 12-digit number for reading: "4000 1234 5678". */
export function groupNumber(n: string): string {
  return n.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** AccountCard is a linkable summary of one account. */
export function AccountCard({ account: a }: { account: Account }) {
  const Icon = TYPE_ICONS[a.type];
  return (
    <Link to={`/accounts/${a.id}`} className={`account-card type-${a.type}`}>
      <span className="ac-top">
        <span className="ac-icon" aria-hidden="true">
          <Icon />
        </span>
        <span className="ac-currency">{a.currency}</span>
      </span>
      <span className="ac-name">{a.name}</span>
      <span className="ac-balance">
        <Money amount={a.balance} currency={a.currency} />
      </span>
      <span className="ac-meta">
        {TYPE_NAMES[a.type]} · {maskNumber(a.number)}
        {a.status !== "active" && (
          <span className={`badge badge-${a.status}`}>
            {a.status === "frozen" && <Snowflake aria-hidden="true" />}
            {a.status}
          </span>
        )}
      </span>
    </Link>
  );
}

/** accountLabel is the text used for an account in selects. */
export function accountLabel(a: Account): string {
  return `${a.name} ${maskNumber(a.number)} · ${formatMoney(a.available_balance, a.currency)}`;
}
