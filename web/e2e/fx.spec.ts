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

test("a transfer between currencies is refused at once, with the exchange offered (own account) or sending from the right account (someone else's)", async ({ page, request }) => {
  const ada = person("Ada");
  const bob = person("Bob");
  await register(request, ada);
  await register(request, bob);
  const auth = await bearer(request, ada.email);
  const euro = await request.post("/api/v1/accounts", { headers: auth, data: { type: "savings", currency: "EUR", name: "Euro savings" } });
  expect(euro.status(), await euro.text()).toBe(201);
  const euroID = (await euro.json()).account.id as string;
  const bobEuro = await request.post("/api/v1/accounts", { headers: await bearer(request, bob.email), data: { type: "checking", currency: "EUR", name: "Bob euro" } });
  expect(bobEuro.status(), await bobEuro.text()).toBe(201);
  const bobEuroNumber = (await bobEuro.json()).account.number as string;

  await signIn(page, ada.email);
  await deposit(page, "100.00");
  await page.goto("/move/transfer");
  const fromID = await page.getByLabel("From", { exact: true }).inputValue();

  // Own EUR account from USD checking: said as soon as it is chosen, before Review.
  await selectByText(page, "To", /Euro savings/);
  const mismatch = page.getByTestId("currency-mismatch");
  await expect(mismatch).toContainText("Euro savings holds EUR and Checking holds USD");
  await page.getByLabel("Amount (USD)").fill("10");
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByRole("heading", { name: "Review your transfer" })).toHaveCount(0);
  // The offer opens the exchange with both accounts chosen.
  await mismatch.getByRole("link", { name: "Exchange USD to EUR" }).click();
  await expect(page).toHaveURL(new RegExp(`/move/exchange\\?from=${fromID}&to=${euroID}$`));
  await expect(page.getByRole("heading", { name: "Exchange currencies" })).toBeVisible();
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(fromID);
  await expect(page.getByLabel("To", { exact: true })).toHaveValue(euroID);

  // Someone else's EUR account, typed: the name check's currency is shown at once; sending from the EUR account instead clears it.
  await page.goto("/move/transfer");
  await page.getByLabel("Recipient account number").fill(bobEuroNumber);
  await expect(mismatch).toContainText("This account holds EUR, and Checking holds USD");
  await mismatch.getByRole("button", { name: "Send from Euro savings instead" }).click();
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(euroID);
  await expect(mismatch).toHaveCount(0);
  await page.getByLabel("Amount (EUR)").fill("1");
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByTestId("review-recipient")).toContainText("Bob E.");
});

test("the open-account form never carries a currency over: it starts at USD every time, and Brokerage goes to USD", async ({ page, request }) => {
  const cy = person("Cy");
  await register(request, cy);
  await signIn(page, cy.email);
  await page.goto("/accounts");
  await page.getByRole("button", { name: "Open an account" }).click();
  const currency = page.getByLabel("Currency");
  await expect(currency).toHaveValue("USD");
  await currency.selectOption("EUR");
  await page.getByRole("button", { name: "Open account", exact: true }).click();
  await expect(page.getByText("Your new EUR savings account is open.")).toBeVisible();

  // The next account starts from USD again, and choosing Brokerage after EUR goes back to USD.
  await page.getByRole("button", { name: "Open an account" }).click();
  await expect(currency).toHaveValue("USD");
  await currency.selectOption("EUR");
  await page.getByLabel("Account type").selectOption("brokerage");
  await expect(currency).toHaveValue("USD");
  // A EUR brokerage account is possible, but never silent: the conversion is spelled out.
  await currency.selectOption("GBP");
  await expect(page.getByText("every order from a GBP account is converted at the exchange rate")).toBeVisible();
  await currency.selectOption("USD");
  await page.getByRole("button", { name: "Open account", exact: true }).click();
  await expect(page.getByText("Your new USD brokerage account is open.")).toBeVisible();

  const auth = await bearer(request, cy.email);
  const items = (await (await request.get("/api/v1/accounts", { headers: auth })).json()).items as { type: string; currency: string }[];
  expect(items.filter((a) => a.type === "brokerage").map((a) => a.currency)).toEqual(["USD"]);
  expect(items.filter((a) => a.type === "savings").map((a) => a.currency)).toEqual(["EUR"]);
});
