import { formatMoney, signOf } from "../lib/money";

/** Money renders an exact decimal amount with its currency symbol; colored by sign when signed. */
export function Money({ amount, currency, signed = false }: { amount: string | null | undefined; currency: string; signed?: boolean }) {
  const s = signed ? signOf(amount) : 0;
  const cls = s < 0 ? "money neg" : s > 0 ? "money pos" : "money";
  return <span className={cls}>{formatMoney(amount, currency, { sign: signed })}</span>;
}
