import { DEMO, axe, deposit, expect, noSidewaysScroll, person, register, reviewTransfer, signIn, test } from "./fixtures";

// Every signed-in page, at 390 px, in light and dark.
const PAGES: [string, string][] = [
  ["/", "dashboard"],
  ["/accounts", "accounts"],
  ["/move/transfer", "send"],
  ["/move/exchange", "exchange"],
  ["/move/deposit", "add money"],
  ["/move/payees", "payees"],
  ["/move/scheduled", "scheduled"],
  ["/invest", "invest"],
  ["/invest/AAPL", "holding"],
  ["/settings", "settings"],
  ["/more", "more"],
];

for (const scheme of ["light", "dark"] as const) {
  test(`every page fits a 390 px phone and passes axe (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/signin");
    await noSidewaysScroll(page, "sign-in");
    await axe(page, `sign-in ${scheme}`);
    await page.goto("/signup");
    await noSidewaysScroll(page, "sign-up");
    for (const [path, name] of [["/forgot-password", "forgot password"], ["/reset-password?token=e2e-not-a-token", "reset password"]] as const) {
      await page.goto(path);
      await page.locator("h1").waitFor();
      await noSidewaysScroll(page, `${name} (${scheme})`);
      await axe(page, `${name} (${scheme})`);
    }
    await signIn(page, DEMO.investor, DEMO.password);
    const paths = [...PAGES];
    // The investor's first account page (the one that scrolled sideways).
    await page.goto("/accounts");
    await page.locator(".account-card").first().click();
    await page.locator(".entry").first().waitFor();
    paths.push([new URL(page.url()).pathname, "account"]);
    for (const [path, name] of paths) {
      await page.goto(path);
      await page.locator("h1").waitFor();
      await page.waitForLoadState("networkidle");
      await noSidewaysScroll(page, `${name} (${scheme})`);
      await axe(page, `${name} (${scheme})`);
    }
    // The tab bar is the navigation on a phone; it does not wrap.
    const tabs = page.getByRole("navigation", { name: "Tabs" });
    await expect(tabs.getByRole("listitem")).toHaveText(["Home", "Accounts", "Move", "Invest", "More"]);
    const heights = await tabs.getByRole("listitem").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(new Set(heights).size).toBe(1);
    // Move money tabs scroll in one row instead of wrapping.
    await page.goto("/move/transfer");
    await expect(page.getByRole("navigation", { name: "Move money" }).getByRole("link")).toHaveCount(6);
    const tops = await page.getByRole("navigation", { name: "Move money" }).getByRole("link").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
  });
}

test("admin pages fit a phone", async ({ page }) => {
  await signIn(page, DEMO.admin, DEMO.password);
  await page.goto("/admin");
  await page.getByRole("list", { name: "Users" }).getByRole("link").first().waitFor();
  await noSidewaysScroll(page, "admin");
  await page.getByRole("list", { name: "Users" }).getByRole("link", { name: /Alice Martin/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Alice Martin");
  await noSidewaysScroll(page, "admin user");
  await axe(page, "admin user (phone)");
});

test("send money on a phone, and sign out from More", async ({ page, request }) => {
  const ada = person("Ada");
  const bob = person("Bob");
  await register(request, ada);
  await register(request, bob);
  const login = await request.post("/api/v1/auth/login", { data: { email: bob.email, password: "Correct-Horse-Battery-9" } });
  const token = (await login.json()).access_token;
  const accounts = await (await request.get("/api/v1/accounts", { headers: { Authorization: `Bearer ${token}` } })).json();
  await signIn(page, ada.email);
  await deposit(page, "40.00");
  await reviewTransfer(page, accounts.items[0].number, "5");
  await page.getByRole("button", { name: "Send $5.00" }).click();
  await expect(page.getByRole("status").filter({ hasText: "sent" })).toBeVisible();
  await noSidewaysScroll(page, "transfer result");
  await page.getByRole("navigation", { name: "Tabs" }).getByRole("button", { name: "More" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You have signed out.")).toBeVisible();
});
