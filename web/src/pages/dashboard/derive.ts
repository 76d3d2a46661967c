import type { Account, Entry, Holding } from "../../api/types";
import { type Dec, add, parseDec, rescale, toChartNumber, toPlain } from "../../lib/decimal";
import { formatMoney } from "../../lib/money";

const ZERO: Dec = { units: 0n, scale: 2 };

/** totalsByCurrency sums open accounts' balances exactly, per currency. */
export function totalsByCurrency(accounts: Account[]): Map<string, string> {
  const sums = new Map<string, Dec>();
  for (const a of accounts) {
    if (a.status === "closed") continue;
    const d = parseDec(a.balance);
    if (!d) continue;
    sums.set(a.currency, add(sums.get(a.currency) ?? ZERO, d));
  }
  return new Map([...sums].map(([c, d]) => [c, toPlain(rescale(d, 2))]));
}

/** holdingsValue sums holdings' market values exactly. */
export function holdingsValue(holdings: Holding[]): string {
  let t = ZERO;
  for (const h of holdings) {
    const d = parseDec(h.market_value);
    if (d) t = add(t, d);
  }
  return toPlain(rescale(t, 2));
}

/** balanceSeries rebuilds the total balance over time from entries of several accounts (one currency). */
export function balanceSeries(
  entriesByAccount: Map<string, Entry[]>,
  currency: string,
): { t: string; v: number; label: string }[] {
  const current = new Map<string, Dec>();
  const all: { acct: string; e: Entry }[] = [];
  for (const [acct, entries] of entriesByAccount) {
    const asc = [...entries].filter((e) => e.currency === currency).sort((a, b) => a.created_at.localeCompare(b.created_at));
    const first = asc[0];
    if (first) {
      // The balance before the oldest listed entry is balance_after minus its amount.
      const before = add(parseDec(first.balance_after) ?? ZERO, negate(parseDec(first.amount) ?? ZERO));
      current.set(acct, before);
    }
    for (const e of asc) all.push({ acct, e });
  }
  all.sort((a, b) => a.e.created_at.localeCompare(b.e.created_at));
  const out: { t: string; v: number; label: string }[] = [];
  const start = all[0];
  if (start) {
    // Start the line at the balance before the oldest listed entry.
    let total = ZERO;
    for (const d of current.values()) total = add(total, d);
    out.push({ t: start.e.created_at, v: toChartNumber(total), label: formatMoney(toPlain(rescale(total, 2)), currency) });
  }
  for (let i = 0; i < all.length; i++) {
    const { acct, e } = all[i]!;
    current.set(acct, parseDec(e.balance_after) ?? ZERO);
    // Both legs of a transfer between own accounts form one point, so the line never dips mid-transfer.
    const next = all[i + 1]?.e;
    if (next && (next.created_at === e.created_at || next.transfer_id === e.transfer_id)) continue;
    let total = ZERO;
    for (const d of current.values()) total = add(total, d);
    const plain = toPlain(rescale(total, 2));
    out.push({ t: e.created_at, v: toChartNumber(total), label: formatMoney(plain, currency) });
  }
  return out;
}

function negate(d: Dec): Dec {
  return { units: -d.units, scale: d.scale };
}

const KIND_NAMES: Record<string, string> = {
  withdrawal: "Cash withdrawals",
  fee: "Fees",
  transfer_out: "Transfers",
};

/** spendingByCounterparty groups money going out by who received it, largest first. */
export function spendingByCounterparty(
  entries: Entry[],
  currency: string,
  ownNumbers: Set<string> = new Set(),
  top = 6,
): { name: string; value: number; label: string }[] {
  const sums = new Map<string, Dec>();
  for (const e of entries) {
    if (e.currency !== currency) continue;
    // Moving money between one's own accounts is not spending.
    if (e.counterparty && ownNumbers.has(e.counterparty.account_number)) continue;
    const d = parseDec(e.amount);
    if (!d || d.units >= 0n) continue;
    // Buying investments moves money into assets; it is not spending.
    if (e.kind === "trade_buy") continue;
    const name = e.counterparty?.name || KIND_NAMES[e.kind] || "Other";
    sums.set(name, add(sums.get(name) ?? ZERO, negate(d)));
  }
  const rows = [...sums].sort((a, b) => (a[1].units * 10n ** BigInt(b[1].scale) < b[1].units * 10n ** BigInt(a[1].scale) ? 1 : -1));
  return rows.slice(0, top).map(([name, d]) => ({
    name,
    value: toChartNumber(d),
    label: formatMoney(toPlain(rescale(d, 2)), currency),
  }));
}
