import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page } from "@playwright/test";
import { DEMO, expect, noSidewaysScroll, signIn, test } from "./fixtures";
import { DESKTOP, PHONE } from "./playwright.config";

// Screenshots of every page, desktop (1366) and phone (390), light and dark,
// of the demo data. Run with SCREENSHOTS=<dir> (npm run screenshots writes
// docs/screenshots); skipped otherwise.
const DIR = process.env.SCREENSHOTS;
test.skip(!DIR, "set SCREENSHOTS=<dir> to take screenshots");

type Shot = { name: string; path: string; ready?: (p: Page) => Promise<unknown>; as?: "admin" | "saver"; phoneOnly?: boolean; desktopOnly?: boolean };

const SHOTS: Shot[] = [
  { name: "dashboard", path: "/", ready: (p) => p.locator(".line-chart .chart-svg").first().waitFor() },
  { name: "accounts", path: "/accounts" },
  { name: "account", path: "@account", ready: (p) => p.locator(".entry").first().waitFor() },
  { name: "send", path: "/move/transfer" },
  { name: "review", path: "@review" },
  { name: "send-other-currency", path: "@mismatch", as: "saver" },
  { name: "exchange", path: "/move/exchange", as: "saver" },
  { name: "exchange-price", path: "@exchange-price", as: "saver" },
  { name: "add-money", path: "/move/deposit" },
  { name: "payees", path: "/move/payees" },
  { name: "scheduled", path: "/move/scheduled" },
  { name: "invest", path: "/invest", ready: (p) => p.locator(".portfolio .chart-svg").waitFor() },
  { name: "holding", path: "/invest/BTC-USD", ready: (p) => p.locator(".line-chart .chart-svg").waitFor() },
  { name: "settings", path: "/settings" },
  { name: "more", path: "/more", phoneOnly: true },
  { name: "admin", path: "/admin", as: "admin" },
  { name: "admin-user", path: "@admin-user", as: "admin" },
];

async function session(browser: Browser, device: "desktop" | "phone", scheme: "light" | "dark", email: string) {
  const ctx = await browser.newContext({ ...(device === "phone" ? PHONE : DESKTOP), deviceScaleFactor: 1, colorScheme: scheme });
  const page = await ctx.newPage();
  await signIn(page, email, DEMO.password);
  return { ctx, page };
}

async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
}

for (const device of ["desktop", "phone"] as const) {
  for (const scheme of ["light", "dark"] as const) {
    test(`${device} ${scheme}`, async ({ browser }) => {
      test.setTimeout(240_000);
      const dir = DIR!;
      mkdirSync(dir, { recursive: true });
      const file = (name: string) => join(dir, `${device}-${scheme}-${name}.png`);

      // Signed out.
      const anon = await browser.newContext({ ...(device === "phone" ? PHONE : DESKTOP), deviceScaleFactor: 1, colorScheme: scheme });
      const a = await anon.newPage();
      for (const [name, path] of [
        ["signin", "/signin"],
        ["signup", "/signup"],
        ["forgot-password", "/forgot-password"],
        ["reset-password", "/reset-password?token=example"],
      ] as const) {
        await a.goto(path);
        await a.locator("h1").waitFor();
        await settle(a);
        await a.screenshot({ path: file(name) });
      }
      await anon.close();

      const customer = await session(browser, device, scheme, DEMO.investor);
      const admin = await session(browser, device, scheme, DEMO.admin);
      const saver = await session(browser, device, scheme, DEMO.saver);
      for (const s of SHOTS) {
        if ((s.phoneOnly && device !== "phone") || (s.desktopOnly && device !== "desktop")) continue;
        const page = s.as === "admin" ? admin.page : s.as === "saver" ? saver.page : customer.page;
        if (s.path === "@account") {
          await page.goto("/accounts");
          await page.locator(".account-card", { hasText: "Everyday" }).click();
        } else if (s.path === "@review") {
          await page.goto("/move/transfer");
          const to = page.getByLabel("To", { exact: true });
          await to.selectOption((await to.locator("option", { hasText: "Savings" }).first().getAttribute("value")) ?? "");
          await page.getByLabel("Amount (USD)").fill("250");
          await page.getByLabel("Note (optional)").fill("Holiday fund");
          await page.getByRole("button", { name: "Review" }).click();
          await page.getByRole("heading", { name: "Review your transfer" }).waitFor();
        } else if (s.path === "@mismatch") {
          await page.goto("/move/transfer");
          const to = page.getByLabel("To", { exact: true });
          await to.selectOption((await to.locator("option", { hasText: "Euro savings" }).first().getAttribute("value")) ?? "");
          await page.getByTestId("currency-mismatch").waitFor();
        } else if (s.path === "@exchange-price") {
          await page.goto("/move/exchange");
          const to = page.getByLabel("To", { exact: true });
          await to.selectOption((await to.locator("option", { hasText: "Euro savings" }).first().getAttribute("value")) ?? "");
          await page.getByLabel(/^You sell/).fill("250");
          await page.getByRole("button", { name: "Get a price" }).click();
          await page.getByTestId("fx-countdown").waitFor();
        } else if (s.path === "@admin-user") {
          await page.goto("/admin");
          await page.getByRole("list", { name: "Users" }).getByRole("link", { name: /Bob Okafor/ }).click();
        } else {
          await page.goto(s.path);
        }
        await page.locator("h1").first().waitFor();
        if (s.ready) await s.ready(page);
        await settle(page);
        await noSidewaysScroll(page, `${s.name} ${device} ${scheme}`);
        await page.screenshot({ path: file(s.name) });
      }
      await expect(customer.page.locator("body")).toBeVisible();
      await customer.ctx.close();
      await admin.ctx.close();
      await saver.ctx.close();
    });
  }
}
