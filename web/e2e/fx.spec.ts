import { type APIRequestContext } from "@playwright/test";
import { PASSWORD, deposit, expect, person, register, selectByText, signIn, test } from "./fixtures";

/** bearer signs in through the API (a token session) for setup and checks the page does not show. */
async function bearer(request: APIRequestContext, email: string): Promise<Record<string, string>> {
  const r = await request.post("/api/v1/auth/login", { data: { email, password: PASSWORD } });
  expect(r.status(), await r.text()).toBe(200);
  return { Authorization: `Bearer ${(await r.json()).access_token}` };
}

async function balances(request: APIRequestContext, auth: Record<string, string>): Promise<Record<string, string>> {
  const r = await request.get("/api/v1/accounts", { headers: auth });
  const out: Record<string, string> = {};
  for (const a of (await r.json()).items as { currency: string; balance: string; type: string }[]) {
    if (a.type !== "brokerage") out[a.currency] = a.balance;
  }
  return out;
}

/** amountOf reads "$100.00" or "€91.67" as the decimal string "100.00". */
const amountOf = (s: string) => s.replace(/[^\d.]/g, "");

test("USD → EUR exchange: a price held 30 s, confirmed; balances move by exactly the quoted amounts; an expired price offers a fresh one", async ({ page, request }) => {
  const ada = person("Ada");
  await register(request, ada);
  const auth = await bearer(request, ada.email);
  const open = await request.post("/api/v1/accounts", { headers: auth, data: { type: "savings", currency: "EUR", name: "Euro savings" } });
  expect(open.status(), await open.text()).toBe(201);

  // The browser's clock is ours to move: the 30-second hold expires without waiting.
  await page.clock.install();
  await signIn(page, ada.email);
  await deposit(page, "500.00");

  await page.goto("/move/exchange");
  await selectByText(page, "From", /Checking/);
  await selectByText(page, "To", /Euro savings/);
  await page.getByLabel("You sell (USD)").fill("100");
  await expect(page.getByTestId("amount-preview").first()).toHaveText("You sell $100.00");
  await page.getByRole("button", { name: "Get a price" }).click();
  await expect(page.getByTestId("fx-countdown")).toContainText(/held for (30|29|28) s/);
  await expect(page.getByTestId("fx-sell")).toHaveText("$100.00");
  await expect(page.getByTestId("fx-rate")).toContainText(/^1 USD = \d+\.\d{6} EUR$/);

  // Past the hold, the price cannot be confirmed; a fresh one can.
  await page.clock.fastForward(31_000);
  await expect(page.getByTestId("fx-expired")).toContainText("This price has expired");
  await expect(page.getByRole("button", { name: /^Exchange / })).toHaveCount(0);
  await page.getByRole("button", { name: "Get a new price" }).click();
  await expect(page.getByTestId("fx-countdown")).toBeVisible();

  const sell = amountOf(await page.getByTestId("fx-sell").innerText());
  const buy = amountOf(await page.getByTestId("fx-buy").innerText());
  expect(sell).toBe("100.00");
  expect(Number(buy)).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Exchange $100.00" }).click();
  await expect(page.getByRole("status").filter({ hasText: "exchanged for" })).toContainText(`$100.00 exchanged for €${buy}`);

  const after = await balances(request, auth);
  expect(after.USD).toBe("400.00");
  expect(after.EUR).toBe(buy);
  const verify = await request.get("/api/v1/accounts", { headers: auth });
  expect(verify.status()).toBe(200);

  // The accounts page shows the new balances (the cache was refreshed).
  await page.goto("/accounts");
  await expect(page.locator(".account-card", { hasText: "Euro savings" })).toContainText(`€${buy}`);
});

test("switching the display currency shows the net worth in euros, every account included", async ({ page, request }) => {
  const bo = person("Bo");
  await register(request, bo);
  const auth = await bearer(request, bo.email);
  const eur = await request.post("/api/v1/accounts", { headers: auth, data: { type: "savings", currency: "EUR", name: "Euro pot" } });
  expect(eur.status()).toBe(201);
  await signIn(page, bo.email);
  await deposit(page, "200.00");
  await page.goto("/");
  await expect(page.getByTestId("net-worth")).toHaveText("$200.00");

  await page.goto("/settings");
  await page.getByLabel("Show totals in").selectOption("EUR");
  await page.getByRole("button", { name: "Save currency" }).click();
  await expect(page.getByText("Totals are now shown in Euro (€).")).toBeVisible();

  const ov = await (await request.get("/api/v1/overview", { headers: auth })).json();
  expect(ov.base_currency).toBe("EUR");
  await page.goto("/");
  await expect(page.getByTestId("net-worth")).toHaveText(`€${ov.net_worth}`);
  await expect(page.getByTestId("net-worth")).not.toHaveText("€200.00");
  await expect(page.getByTestId("net-worth-note")).toContainText("In euros at mid-market rates");
});
