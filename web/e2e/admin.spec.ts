import { ADMIN, axe, deposit, expect, person, register, reviewTransfer, signIn, test } from "./fixtures";

test("an admin finds a customer, freezes their account from the customer's page, and unfreezes it", async ({ page, browser, request }) => {
  expect(ADMIN.email, "E2E_ADMIN_EMAIL (scripts/e2e.sh creates the admin)").not.toBe("");
  const cara = person("Cara");
  const dev = person("Dev");
  await register(request, cara);
  await register(request, dev);
  const customer = await browser.newPage();
  await signIn(customer, cara.email);
  await deposit(customer, "50");
  const devPage = await browser.newPage();
  await signIn(devPage, dev.email);
  await devPage.goto("/accounts");
  await devPage.locator(".account-card").first().click();
  const devNumber = (await devPage.getByTestId("account-number").getAttribute("data-number")) ?? "";
  await devPage.close();

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Admin" }).click();
  await page.getByLabel("Search users").fill(cara.email);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("list", { name: "Users" }).getByRole("link", { name: new RegExp(cara.name) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(cara.name);
  await axe(page, "admin user");
  await page.getByRole("button", { name: /^Freeze / }).click();
  await page.getByRole("button", { name: "Yes, freeze it" }).click();
  await expect(page.getByText(/is now frozen\./)).toBeVisible();
  await expect(page.locator(".badge-frozen")).toBeVisible();

  await reviewTransfer(customer, devNumber, "1");
  await customer.getByRole("button", { name: "Send $1.00" }).click();
  await expect(customer.getByRole("alert")).toContainText(/frozen/i);

  await page.getByRole("button", { name: /^Unfreeze / }).click();
  await page.getByRole("button", { name: "Yes, unfreeze it" }).click();
  await expect(page.getByText(/is now active\./)).toBeVisible();
  await customer.getByRole("button", { name: "Send $1.00" }).click();
  await expect(customer.getByRole("status").filter({ hasText: "sent" })).toBeVisible();

  await page.getByRole("link", { name: "Admin" }).first().click();
  await page.getByRole("button", { name: "Run ledger check" }).click();
  await expect(page.getByText("Ledger is consistent.")).toBeVisible();
  await axe(page, "admin");
  await customer.close();
});
