import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import type { Account } from "../../api/types";
import { account, renderApp, signedInRoutes } from "../../test/harness";
import { TransferFlow } from "./TransferFlow";

const CHECKING = account();
const EURO = account({ id: "acc2", number: "300000000012", currency: "EUR", name: "Euro savings", type: "savings", balance: "100.00", available_balance: "100.00" });
const BOB = "200000000014";

function routes(onTransfer: (body: unknown) => { status: number; body?: unknown }, accounts: Account[] = [CHECKING]) {
  return {
    ...signedInRoutes,
    "GET /api/v1/accounts": () => ({ status: 200, body: { items: accounts } }),
    "GET /api/v1/payees": () => ({ status: 200, body: { items: [], next_cursor: null } }),
    "POST /api/v1/recipients/lookup": (b: unknown) =>
      (b as { account_number: string }).account_number === BOB
        ? { status: 200, body: { recipient: { account_number: BOB, name: "Bob O.", currency: "USD" } } }
        : { status: 422, body: { code: "recipient_not_found", detail: "No open BankApp account has this number. Check it with the person you are paying." } },
    "POST /api/v1/transfers": onTransfer,
  };
}

it("validates, names the recipient on review, and keeps the key through insufficient funds", async () => {
  const user = userEvent.setup({ delay: null });
  let calls = 0;
  const { server } = renderApp(
    <TransferFlow />,
    routes(() => {
      calls++;
      return { status: 422, body: { code: "insufficient_funds", detail: "Insufficient funds: the available balance is $5.00." } };
    }),
  );
  await user.type(await screen.findByLabelText("Recipient account number"), "200000000015");
  await user.type(screen.getByLabelText("Amount (USD)"), "12.345");
  await user.click(screen.getByRole("button", { name: "Review" }));
  expect(screen.getByText("This account number has a typo: its last digit doesn't match the others. Check the number and try again.")).toBeInTheDocument();
  expect(screen.getByText("Use at most 2 decimal places, like 12.50.")).toBeInTheDocument();
  expect(calls).toBe(0);

  await user.clear(screen.getByLabelText("Recipient account number"));
  await user.type(screen.getByLabelText("Recipient account number"), BOB);
  await user.clear(screen.getByLabelText("Amount (USD)"));
  await user.type(screen.getByLabelText("Amount (USD)"), "1,250.5");
  expect(screen.getByTestId("amount-preview")).toHaveTextContent("You send $1,250.50");
  await user.click(screen.getByRole("button", { name: "Review" }));

  expect(await screen.findByRole("heading", { name: "Review your transfer" })).toBeInTheDocument();
  expect(screen.getByTestId("review-recipient")).toHaveTextContent("Bob O.");
  expect(screen.getByText("The bank confirms this account belongs to Bob O.")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Send $1,250.50" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Insufficient funds: the available balance is $5.00.");

  // A retry of the same submission reuses the Idempotency-Key.
  await user.click(screen.getByRole("button", { name: "Send $1,250.50" }));
  await screen.findByRole("alert");
  const posts = server.requests.filter((r) => r.key === "POST /api/v1/transfers");
  expect(posts).toHaveLength(2);
  expect(posts[0]!.body).toEqual({ from_account_id: "acc1", to_account_number: BOB, amount: "1250.50" });
  expect(posts[0]!.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(posts[1]!.headers["Idempotency-Key"]).toBe(posts[0]!.headers["Idempotency-Key"]);
});

it("never reads 12,50 as 1,250 in a dollar account, and reads it as 12.50 in a euro account", async () => {
  const user = userEvent.setup({ delay: null });
  let sent: unknown = null;
  const ok = (body: unknown) => {
    sent = body;
    return { status: 201, body: { transfer: { id: "t1", kind: "transfer", status: "completed", from_account_id: "acc2", to_account_id: null, to_account_number: BOB, amount: "12.50", currency: "EUR", description: "", created_at: "2026-12-02T10:00:00Z" } } };
  };
  const { server } = renderApp(<TransferFlow />, {
    ...routes(ok, [CHECKING, EURO]),
    "POST /api/v1/recipients/lookup": () => ({ status: 200, body: { recipient: { account_number: BOB, name: "Bob O.", currency: "EUR" } } }),
  });
  await user.type(await screen.findByLabelText("Recipient account number"), BOB);
  const amount = screen.getByLabelText("Amount (USD)");
  await user.type(amount, "12,50");
  expect(screen.getByTestId("amount-preview")).toHaveTextContent("");
  await user.click(screen.getByRole("button", { name: "Review" }));
  expect(screen.getByText("In USD, cents follow a point: type 12.50, not 12,50.")).toBeInTheDocument();
  // The recipient holds EUR: said at once, with the ways out, before any review.
  expect(await screen.findByTestId("currency-mismatch")).toHaveTextContent("This account holds EUR, and Everyday holds USD");
  expect(screen.getByRole("link", { name: "Exchange USD to EUR" })).toHaveAttribute("href", "/move/exchange?from=acc1&to=acc2");
  expect(screen.queryByRole("heading", { name: "Review your transfer" })).toBeNull();
  // One lookup serves the form and the review.
  expect(server.requests.filter((r) => r.key === "POST /api/v1/recipients/lookup")).toHaveLength(1);

  await user.click(screen.getByRole("button", { name: "Send from Euro savings instead" }));
  expect(screen.getByLabelText("From")).toHaveValue("acc2");
  expect(screen.queryByTestId("currency-mismatch")).toBeNull();
  expect(screen.getByTestId("amount-preview")).toHaveTextContent("You send €12.50");
  await user.click(screen.getByRole("button", { name: "Review" }));
  await user.click(await screen.findByRole("button", { name: "Send €12.50" }));
  await screen.findByRole("heading", { name: "Money sent" });
  expect(sent).toEqual({ from_account_id: "acc2", to_account_number: BOB, amount: "12.50" });
  expect(server.requests.filter((r) => r.key === "POST /api/v1/recipients/lookup")).toHaveLength(1);
});

it("refuses an ambiguous euro amount with a way to type it", async () => {
  const user = userEvent.setup({ delay: null });
  renderApp(<TransferFlow />, routes(() => ({ status: 500 }), [EURO]));
  await user.type(await screen.findByLabelText("Recipient account number"), BOB);
  await user.type(screen.getByLabelText("Amount (EUR)"), "1,234");
  await user.click(screen.getByRole("button", { name: "Review" }));
  expect(screen.getByText("“1,234” is unclear here: type 1234 for €1,234.00, or write the cents with 2 digits, like 1,23.")).toBeInTheDocument();
});

it("stops on an unknown number before the review, in words", async () => {
  const user = userEvent.setup({ delay: null });
  renderApp(<TransferFlow />, routes(() => ({ status: 500 })));
  await user.type(await screen.findByLabelText("Recipient account number"), "400000000010");
  await user.type(screen.getByLabelText("Amount (USD)"), "2");
  await user.click(screen.getByRole("button", { name: "Review" }));
  expect(await screen.findByText("No open BankApp account has this number. Check it with the person you are paying.")).toBeInTheDocument();
  expect(screen.queryByRole("heading", { name: "Review your transfer" })).toBeNull();
});

it("shows a clear result after a successful transfer to one's own account, by its name", async () => {
  const user = userEvent.setup({ delay: null });
  const savings = account({ id: "acc3", number: "400000000010", name: "Savings", type: "savings" });
  const { server } = renderApp(
    <TransferFlow />,
    routes(
      (body) => ({
        status: 201,
        body: {
          transfer: {
            id: "tr-0001-abcd",
            kind: "transfer",
            status: "completed",
            from_account_id: "acc1",
            to_account_id: "acc3",
            to_account_number: "400000000010",
            amount: (body as { amount: string }).amount,
            currency: "USD",
            description: "",
            created_at: "2026-11-28T12:00:00Z",
          },
        },
      }),
      [CHECKING, savings],
    ),
  );
  await user.selectOptions(await screen.findByLabelText("To"), "own:acc3");
  await user.type(screen.getByLabelText("Amount (USD)"), "2.5");
  await user.click(screen.getByRole("button", { name: "Review" }));
  expect(await screen.findByTestId("review-recipient")).toHaveTextContent("Your Savings account");
  await user.click(screen.getByRole("button", { name: "Send $2.50" }));
  const result = await screen.findByRole("status");
  expect(within(result).getByText("$2.50")).toBeInTheDocument();
  expect(result).toHaveTextContent("To Your Savings account");
  // Own accounts need no name check.
  expect(server.requests.some((r) => r.key === "POST /api/v1/recipients/lookup")).toBe(false);
});

it("says at once that an own account in another currency needs an exchange, and links to it with both accounts", async () => {
  const user = userEvent.setup({ delay: null });
  const { server } = renderApp(<TransferFlow />, routes(() => ({ status: 500 }), [CHECKING, EURO]));
  await user.selectOptions(await screen.findByLabelText("To"), "own:acc2");
  expect(screen.getByTestId("currency-mismatch")).toHaveTextContent("Euro savings holds EUR and Everyday holds USD");
  expect(screen.getByRole("link", { name: "Exchange USD to EUR" })).toHaveAttribute("href", "/move/exchange?from=acc1&to=acc2");
  await user.type(screen.getByLabelText("Amount (USD)"), "5");
  await user.click(screen.getByRole("button", { name: "Review" }));
  expect(screen.queryByRole("heading", { name: "Review your transfer" })).toBeNull();
  expect(server.requests.some((r) => r.key === "POST /api/v1/recipients/lookup" || r.key === "POST /api/v1/transfers")).toBe(false);
});
