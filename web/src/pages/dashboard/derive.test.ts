import { describe, expect, it } from "vitest";
import type { Account, Entry } from "../../api/types";
import { balanceSeries, spendingByCounterparty, totalsByCurrency } from "./derive";

function acct(p: Partial<Account>): Account {
  return {
    id: "a",
    number: "000000000000",
    type: "checking",
    currency: "USD",
    name: "Checking",
    balance: "0.00",
    available_balance: "0.00",
    status: "active",
    created_at: "2026-01-01T00:00:00Z",
    ...p,
  };
}

function entry(p: Partial<Entry>): Entry {
  return {
    id: Math.random().toString(),
    transfer_id: Math.random().toString(),
    kind: "deposit",
    amount: "0.00",
    currency: "USD",
    balance_after: "0.00",
    description: "",
    counterparty: null,
    created_at: "2026-01-01T00:00:00Z",
    ...p,
  };
}

describe("dashboard derivations", () => {
  it("sums balances per currency exactly, skipping closed accounts", () => {
    const t = totalsByCurrency([
      acct({ balance: "0.10" }),
      acct({ balance: "0.20" }),
      acct({ balance: "5.00", currency: "EUR" }),
      acct({ balance: "99.00", status: "closed" }),
    ]);
    expect(t.get("USD")).toBe("0.30");
    expect(t.get("EUR")).toBe("5.00");
  });

  it("rebuilds total balance over time across accounts", () => {
    const m = new Map<string, Entry[]>([
      ["a", [entry({ amount: "100.00", balance_after: "150.00", created_at: "2026-01-02T00:00:00Z" })]],
      ["b", [entry({ amount: "-20.05", balance_after: "9.95", created_at: "2026-01-03T00:00:00Z" })]],
    ]);
    const s = balanceSeries(m, "USD");
    expect(s.map((p) => p.label)).toEqual(["$80.00", "$180.00", "$159.95"]);
  });

  it("plots a transfer between own accounts as one point", () => {
    const m = new Map<string, Entry[]>([
      ["a", [entry({ transfer_id: "x", amount: "-40.00", balance_after: "60.00", created_at: "2026-01-02T00:00:00Z" })]],
      ["b", [entry({ transfer_id: "x", amount: "40.00", balance_after: "40.00", created_at: "2026-01-02T00:00:00.001Z" })]],
    ]);
    expect(balanceSeries(m, "USD").map((p) => p.label)).toEqual(["$100.00", "$100.00"]);
  });

  it("groups spending by counterparty", () => {
    const s = spendingByCounterparty(
      [
        entry({ kind: "transfer_out", amount: "-10.00", counterparty: { name: "Ann", account_number: "1" } }),
        entry({ kind: "transfer_out", amount: "-5.50", counterparty: { name: "Ann", account_number: "1" } }),
        entry({ kind: "withdrawal", amount: "-40.00" }),
        entry({ kind: "deposit", amount: "100.00" }),
        entry({ kind: "transfer_out", amount: "-500.00", counterparty: { name: "Me", account_number: "own1" } }),
      ],
      "USD",
      new Set(["own1"]),
    );
    expect(s).toEqual([
      { name: "Cash withdrawals", value: 40, label: "$40.00" },
      { name: "Ann", value: 15.5, label: "$15.50" },
    ]);
  });
});
