import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { renderApp, signedInRoutes } from "../../test/harness";
import { Payees } from "./Payees";

it("a double click on Save payee sends one request", async () => {
  const user = userEvent.setup({ delay: null });
  const { server } = renderApp(<Payees />, {
    ...signedInRoutes,
    "GET /api/v1/payees": () => ({ status: 200, body: { items: [], next_cursor: null } }),
    "POST /api/v1/payees": (b) => ({ status: 201, body: { payee: { id: "p1", created_at: "2026-12-02T10:00:00Z", ...(b as object) } } }),
  });
  await user.type(await screen.findByLabelText("Name"), "Bob");
  await user.type(screen.getByLabelText("Account number"), "2000 0000 0014");
  await user.dblClick(screen.getByRole("button", { name: "Save payee" }));
  // Saved: the form is cleared (the old form had no success note).
  await waitFor(() => expect(screen.getByLabelText("Name")).toHaveValue(""));
  await new Promise((r) => setTimeout(r, 50));
  const posts = server.requests.filter((r) => r.key === "POST /api/v1/payees");
  expect(posts).toHaveLength(1);
  expect(posts[0]!.body).toEqual({ name: "Bob", account_number: "200000000014" });
});

it("says what is wrong with a mistyped number before asking the server", async () => {
  const user = userEvent.setup({ delay: null });
  const { server } = renderApp(<Payees />, {
    ...signedInRoutes,
    "GET /api/v1/payees": () => ({ status: 200, body: { items: [], next_cursor: null } }),
  });
  await user.type(await screen.findByLabelText("Name"), "Bob");
  await user.type(screen.getByLabelText("Account number"), "200000000015");
  await user.click(screen.getByRole("button", { name: "Save payee" }));
  expect(screen.getByLabelText("Account number")).toHaveAccessibleDescription(
    "This account number has a typo: its last digit doesn't match the others. Check the number and try again.",
  );
  expect(server.requests.some((r) => r.key === "POST /api/v1/payees")).toBe(false);
});
