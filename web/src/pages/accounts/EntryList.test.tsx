import { render, screen } from "@testing-library/react";
import { expect, it } from "vitest";
import type { Entry } from "../../api/types";
import { account } from "../../test/harness";
import { EntryList, entryTitle, tradeText } from "./EntryList";

function entry(p: Partial<Entry>): Entry {
  return {
    id: Math.random().toString(),
    transfer_id: "t",
    kind: "transfer_out",
    amount: "-10.00",
    currency: "USD",
    balance_after: "0.00",
    description: "",
    counterparty: null,
    created_at: "2026-12-01T10:00:00Z",
    ...p,
  };
}

const mine = [account({ number: "100000000016", name: "Everyday" }), account({ id: "s", number: "400000000010", name: "Savings" })];

it("names transfers between one's own accounts by the accounts, not by one's own name", () => {
  const own = new Map(mine.map((a) => [a.number, a]));
  expect(entryTitle(entry({ kind: "transfer_out", counterparty: { name: "Ada Lovelace", account_number: "400000000010" } }), own)).toBe("To Savings");
  expect(entryTitle(entry({ kind: "transfer_in", counterparty: { name: "Ada Lovelace", account_number: "100000000016" } }), own)).toBe("From Everyday");
  expect(entryTitle(entry({ kind: "transfer_in", counterparty: { name: "Bob Okafor", account_number: "200000000014" } }), own)).toBe("Bob Okafor");
});

it("writes trades the way people read them", () => {
  expect(tradeText("Sell 0.50000000 AAPL @ 259.09", "USD")).toBe("Sold 0.5 AAPL at $259.09");
  expect(tradeText("Buy 0.00219780 BTC-USD @ 91020.5", "USD")).toBe("Bought 0.0021978 BTC-USD at $91,020.50");
  expect(tradeText("Bought 2 AAPL at $259.09", "USD")).toBe("Bought 2 AAPL at $259.09");
  render(<EntryList entries={[entry({ kind: "trade_sell", amount: "129.54", description: "Sell 0.50000000 AAPL @ 259.09" })]} accounts={mine} />);
  expect(screen.getByText("Sold 0.5 AAPL at $259.09")).toBeInTheDocument();
  expect(screen.queryByText(/0\.50000000/)).toBeNull();
});
