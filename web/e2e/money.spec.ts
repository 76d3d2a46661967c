import { type APIRequestContext } from "@playwright/test";
import { PASSWORD, deposit, expect, openAccount, person, register, reviewTransfer, selectByText, signIn, test } from "./fixtures";

/** apiAccount opens an account for a customer through the API and returns its number. */
async function apiAccount(request: APIRequestContext, email: string, body: object) {
  const login = await request.post("/api/v1/auth/login", { data: { email, password: PASSWORD } });
  const token = (await login.json()).access_token as string;
  const r = await request.post("/api/v1/accounts", { data: body, headers: { Authorization: `Bearer ${token}` } });
  expect(r.status()).toBe(201);
  return (await r.json()).account.number as string;
}

test.describe("money input cannot misread", () => {
  test("“12,50” in a dollar account is refused with how to type it; 12.50 adds $12.50", async ({ page, request }) => {
    const ada = person("Ada");
    await register(request, ada);
    await signIn(page, ada.email);
    await page.goto("/move/deposit");
    const amount = page.getByLabel("Amount (USD)");
    await amount.fill("12,50");
    await expect(page.getByTestId("amount-preview")).toHaveText("");
    let posted = 0;
    page.on("request", (r) => {
      if (r.url().endsWith("/api/v1/deposits")) posted++;
    });
    await page.getByRole("button", { name: "Add money" }).click();
    await expect(page.getByText("In USD, cents follow a point: type 12.50, not 12,50.")).toBeVisible();
    expect(posted).toBe(0);

    await amount.fill("12.50");
    await expect(page.getByTestId("amount-preview")).toHaveText("You add $12.50");
    await page.getByRole("button", { name: "Add money" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Added" })).toHaveText("Added $12.50.");
    await page.goto("/");
    await expect(page.getByTestId("total-balance")).toHaveText("$12.50");
  });

  test("“12,50” in a euro account is €12.50: the preview, the deposit, the transfer review and the recipient's balance", async ({ page, request }) => {
    const ada = person("Ada");
    const bob = person("Bob");
    await register(request, ada);
    await register(request, bob);
    const bobEuro = await apiAccount(request, bob.email, { type: "savings", currency: "EUR", name: "Bob euros" });
    await signIn(page, ada.email);
    await page.goto("/accounts");
    await page.getByRole("button", { name: "Open an account" }).click();
    await page.getByLabel("Account type").selectOption("savings");
    await page.getByLabel("Currency").selectOption("EUR");
    await page.getByLabel("Name (optional)").fill("Euro pot");
    await page.getByRole("button", { name: "Open account", exact: true }).click();
    await expect(page.locator(".account-card", { hasText: "Euro pot" })).toBeVisible();

    await page.goto("/move/deposit");
    await selectByText(page, "Into account", /Euro pot/);
    await page.getByLabel("Amount (EUR)").fill("12,50");
    await expect(page.getByTestId("amount-preview")).toHaveText("You add €12.50");
    await page.getByRole("button", { name: "Add money" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Added" })).toHaveText("Added €12.50.");
    // An ambiguous amount is refused, not guessed.
    await page.getByLabel("Amount (EUR)").fill("1,234");
    await page.getByRole("button", { name: "Add money" }).click();
    await expect(page.getByText("“1,234” is unclear here: type 1234 for €1,234.00, or write the cents with 2 digits, like 1,23.")).toBeVisible();

    await reviewTransfer(page, bobEuro, "2,5", /Euro pot/);
    await expect(page.locator(".review-amount")).toHaveText("€2.50");
    await expect(page.getByTestId("review-recipient")).toContainText("Bob E.");
    await page.getByRole("button", { name: "Send €2.50" }).click();
    await expect(page.getByRole("status").filter({ hasText: "sent" })).toContainText("€2.50 sent");
    const number = await openAccount(page, /Euro pot/);
    expect(number).toMatch(/^\d{12}$/);
    await expect(page.locator(".account-balance .hero-value")).toHaveText("€10.00");
  });

  test("a dollar transfer of “12,50” never reaches the review", async ({ page, request }) => {
    const ada = person("Ada");
    const bob = person("Bob");
    await register(request, ada);
    await register(request, bob);
    await signIn(page, ada.email);
    await deposit(page, "100");
    const bobNumber = await apiAccount(request, bob.email, { type: "savings", currency: "USD" });
    await page.goto("/move/transfer");
    await page.getByLabel("Recipient account number").fill(bobNumber);
    await page.getByLabel("Amount (USD)").fill("12,50");
    await page.getByRole("button", { name: "Review" }).click();
    await expect(page.getByText("In USD, cents follow a point: type 12.50, not 12,50.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Review your transfer" })).toHaveCount(0);
  });
});
