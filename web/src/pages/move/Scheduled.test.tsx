import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { account, renderApp, signedInRoutes } from "../../test/harness";
import { Scheduled } from "./Scheduled";

const EURO = account({ id: "eur1", number: "300000000012", currency: "EUR", name: "Euro savings", type: "savings" });

it("lists scheduled transfers by payee, picks a payee, and takes the amount in the account's currency", async () => {
  const user = userEvent.setup({ delay: null });
  const { server } = renderApp(<Scheduled />, {
    ...signedInRoutes,
    "GET /api/v1/accounts": () => ({ status: 200, body: { items: [EURO] } }),
    "GET /api/v1/payees": () => ({ status: 200, body: { items: [{ id: "p1", name: "Landlord", account_number: "200000000014", created_at: "2026-11-01T00:00:00Z" }], next_cursor: null } }),
    "GET /api/v1/scheduled-transfers": () => ({
      status: 200,
      body: {
        items: [
          {
            id: "s1", from_account_id: "eur1", to_account_number: "200000000014", amount: "850.00", currency: "EUR", description: "Rent",
            frequency: "monthly", start_date: "2026-12-01", end_date: null, next_run_at: "2027-01-01T00:00:00Z", last_run_at: null, last_status: null,
            status: "active", created_at: "2026-11-01T00:00:00Z",
          },
        ],
        next_cursor: null,
      },
    }),
    "POST /api/v1/scheduled-transfers": () => ({ status: 201, body: { scheduled_transfer: {} } }),
  });
  const list = await screen.findByRole("list");
  expect(within(list).getByText("Landlord")).toBeInTheDocument();
  expect(within(list).queryByText(/200000000014/)).toBeNull();
  expect(screen.getByRole("button", { name: "Cancel scheduled transfer to Landlord" })).toBeInTheDocument();

  await user.selectOptions(screen.getByLabelText("To"), "payee:p1");
  const amount = screen.getByLabelText("Amount (EUR)");
  await user.type(amount, "850,00");
  expect(screen.getByTestId("amount-preview")).toHaveTextContent("Each time you send €850.00");
  await user.click(screen.getByRole("button", { name: "Schedule" }));
  await screen.findByText("Transfer scheduled.");
  const post = server.requests.find((r) => r.key === "POST /api/v1/scheduled-transfers");
  expect(post?.body).toMatchObject({ from_account_id: "eur1", to_account_number: "200000000014", amount: "850.00", frequency: "monthly" });
});
