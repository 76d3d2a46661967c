import { axe, deposit, expect, openAccount, person, register, reviewTransfer, selectByText, signIn, test } from "./fixtures";

test.describe("moving money", () => {
  test("send with a named review, see it arrive, insufficient funds in words, payees and scheduled transfers by name", async ({ page, browser, request }) => {
    const ada = person("Ada");
    const bob = person("Bob");
    await register(request, ada);
    await register(request, bob);
    const pageB = await browser.newPage();
    await signIn(pageB, bob.email);
    const bobNumber = await openAccount(pageB, /Checking|Everyday/);

    await signIn(page, ada.email);
    await deposit(page, "1,500.00");
    await reviewTransfer(page, bobNumber, "25.50");
    await expect(page.getByTestId("review-recipient")).toContainText("Bob E.");
    await expect(page.getByText("The bank confirms this account belongs to Bob E.")).toBeVisible();
    await axe(page, "transfer review");
    await page.getByRole("button", { name: "Send $25.50" }).click();
    await expect(page.getByRole("status").filter({ hasText: "sent" })).toContainText("$25.50 sent");

    await pageB.goto("/");
    await expect(pageB.getByTestId("total-balance")).toHaveText("$25.50");
    await expect(pageB.locator(".entry", { hasText: "+$25.50" }).first()).toContainText("Ada Example");

    const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/transfers") && r.request().method() === "POST");
    await reviewTransfer(page, bobNumber, "9999");
    await page.getByRole("button", { name: /^Send / }).click();
    const problem = await (await answer).json();
    expect(problem.code).toBe("insufficient_funds");
    await expect(page.getByRole("alert")).toContainText(new RegExp(problem.detail.replace(/\.$/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"));

    // Own accounts are listed by their names, not under the customer's own name.
    await page.goto("/accounts");
    await page.getByRole("button", { name: "Open an account" }).click();
    await page.getByLabel("Name (optional)").fill("Rainy day");
    await page.getByRole("button", { name: "Open account", exact: true }).click();
    await page.goto("/move/transfer");
    await selectByText(page, "To", /Rainy day/);
    await page.getByLabel("Amount (USD)").fill("100");
    await page.getByRole("button", { name: "Review" }).click();
    await expect(page.getByTestId("review-recipient")).toContainText("Your Rainy day account");
    await page.getByRole("button", { name: "Send $100.00" }).click();
    await expect(page.getByRole("status").filter({ hasText: "sent" })).toBeVisible();
    await page.goto("/");
    await expect(page.locator(".entry", { hasText: "−$100.00" }).first()).toContainText("To Rainy day");
    await expect(page.locator(".entry", { hasText: "+$100.00" }).first()).toContainText("From ");
    await expect(page.locator(".entry", { hasText: "$100.00" }).filter({ hasText: "Ada Example" })).toHaveCount(0);

    // Payees: a double click saves once; sending to a payee names them.
    await pageB.goto("/move/payees");
    await pageB.getByLabel("Name").fill("Ada");
    await pageB.getByLabel("Account number").fill(await accountNumberOf(page));
    let posts = 0;
    pageB.on("request", (r) => {
      if (r.url().endsWith("/api/v1/payees") && r.method() === "POST") posts++;
    });
    await pageB.getByRole("button", { name: "Save payee" }).dblclick();
    await expect(pageB.getByRole("button", { name: "Remove payee Ada" })).toBeVisible();
    await pageB.waitForTimeout(300);
    expect(posts).toBe(1);
    await expect(pageB.getByRole("button", { name: "Remove payee Ada" })).toHaveCount(1);

    await pageB.goto("/move/transfer");
    await selectByText(pageB, "To", /^Ada/);
    await pageB.getByLabel("Amount (USD)").fill("1.25");
    await pageB.getByRole("button", { name: "Review" }).click();
    await expect(pageB.getByTestId("review-recipient")).toContainText("Ada");
    await expect(pageB.getByTestId("review-recipient")).toContainText("Account holder: Ada E.");
    await pageB.getByRole("button", { name: "Send $1.25" }).click();
    await expect(pageB.getByRole("status").filter({ hasText: "sent" })).toBeVisible();

    // Scheduled: pick the payee; the list shows the payee, not the number.
    await pageB.goto("/move/scheduled");
    await selectByText(pageB, "To", /^Ada/);
    await pageB.getByLabel("Amount (USD)").fill("2");
    await pageB.getByRole("button", { name: "Schedule" }).click();
    const cancel = pageB.getByRole("button", { name: "Cancel scheduled transfer to Ada" });
    await expect(cancel).toBeVisible();
    await axe(pageB, "scheduled");
    await cancel.click();
    await expect(pageB.getByText("Nothing scheduled")).toBeVisible();
    await pageB.close();
  });

  test("history filters and CSV export; a PDF statement", async ({ page, request }) => {
    const ada = person("Ada");
    await register(request, ada);
    await signIn(page, ada.email);
    await deposit(page, "40");
    await page.goto("/move/withdraw");
    await page.getByLabel("Amount (USD)").fill("15");
    await page.getByRole("button", { name: "Withdraw" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Withdrew" })).toBeVisible();
    await openAccount(page, /Checking|Everyday/);
    await page.getByLabel("Type").selectOption("deposit");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.locator(".entry", { hasText: "+$40.00" })).toBeVisible();
    await expect(page.locator(".entry", { hasText: "−$15.00" })).toHaveCount(0);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    const text = await (await import("node:fs/promises")).readFile((await csv.path()) ?? "", "utf8");
    expect(text).toContain("40.00");
    const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download statement" }).click()]);
    const head = (await (await import("node:fs/promises")).readFile((await pdf.path()) ?? "")).subarray(0, 5).toString();
    expect(head).toBe("%PDF-");
    await axe(page, "account");
  });
});

async function accountNumberOf(page: import("@playwright/test").Page): Promise<string> {
  return openAccount(page, /Checking|Everyday/);
}
