import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import type { Account } from "../../api/types";
import { renderApp, signedInRoutes } from "../../test/harness";
import { TransferFlow } from "./TransferFlow";

const CHECKING: Account = {
  id: "acc1",
  number: "100000000017",
  type: "checking",
  currency: "USD",
  name: "Everyday",
  balance: "5.00",
  available_balance: "5.00",
  status: "active",
  created_at: "2026-11-01T10:00:00Z",
};

function routes(onTransfer: (body: unknown) => { status: number; body?: unknown }) {
  return {
    ...signedInRoutes,
    "GET /api/v1/accounts": () => ({ status: 200, body: { items: [CHECKING] } }),
    "GET /api/v1/payees": () => ({ status: 200, body: { items: [], next_cursor: null } }),
    "POST /api/v1/transfers": onTransfer,
  };
}

it("validates, reviews, and shows insufficient funds on the review step without losing the key", async () => {
  const user = userEvent.setup({ delay: null });
  let calls = 0;
  const { server } = renderApp(
    <TransferFlow />,
    routes(() => {
      calls++;
      return { status: 422, body: { code: "insufficient_funds", detail: "Insufficient funds: the available balance is $5.00." } };
    }),
  );
  await user.type(await screen.findByLabelText("Recipient account number"), "123");
  await user.type(screen.getByLabelText("Amount (USD)"), "12.345");
  await user.click(screen.getByRole("button", { name: "Review" }));
  expect(screen.getByText("Enter the 12-digit account number.")).toBeInTheDocument();
  expect(screen.getByText("Use at most 2 decimal places.")).toBeInTheDocument();
  expect(calls).toBe(0);

  await user.clear(screen.getByLabelText("Recipient account number"));
  await user.type(screen.getByLabelText("Recipient account number"), "200000000016");
  await user.clear(screen.getByLabelText("Amount (USD)"));
  await user.type(screen.getByLabelText("Amount (USD)"), "1,250.5");
  await user.click(screen.getByRole("button", { name: "Review" }));

  expect(await screen.findByRole("heading", { name: "Review your transfer" })).toBeInTheDocument();
  expect(screen.getByText("$1,250.50", { selector: "dd" })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Send $1,250.50" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Insufficient funds: the available balance is $5.00.");

  // A retry of the same submission reuses the Idempotency-Key.
  await user.click(screen.getByRole("button", { name: "Send $1,250.50" }));
  await screen.findByRole("alert");
  const posts = server.requests.filter((r) => r.key === "POST /api/v1/transfers");
  expect(posts).toHaveLength(2);
  expect(posts[0]!.body).toEqual({ from_account_id: "acc1", to_account_number: "200000000016", amount: "1250.5" });
  expect(posts[0]!.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(posts[1]!.headers["Idempotency-Key"]).toBe(posts[0]!.headers["Idempotency-Key"]);
});

it("shows a clear result after a successful transfer", async () => {
  const user = userEvent.setup({ delay: null });
  renderApp(
    <TransferFlow />,
    routes((body) => ({
      status: 201,
      body: {
        transfer: {
          id: "tr-0001-abcd",
          kind: "transfer",
          status: "completed",
          from_account_id: "acc1",
          to_account_id: null,
          to_account_number: "200000000016",
          amount: (body as { amount: string }).amount,
          currency: "USD",
          description: "",
          created_at: "2026-11-28T12:00:00Z",
        },
      },
    })),
  );
  await user.type(await screen.findByLabelText("Recipient account number"), "200000000016");
  await user.type(screen.getByLabelText("Amount (USD)"), "2.50");
  await user.click(screen.getByRole("button", { name: "Review" }));
  await user.click(await screen.findByRole("button", { name: "Send $2.50" }));
  const result = await screen.findByRole("status");
  expect(within(result).getByText("$2.50")).toBeInTheDocument();
  expect(result).toHaveTextContent("To account 200000000016");
});
