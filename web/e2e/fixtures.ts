import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type APIRequestContext, type Page, test as base, expect } from "@playwright/test";
import * as OTPAuth from "otpauth";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
/** AXE_URL is a same-origin path routed to the npm axe-core file, so the page's strict CSP allows it. */
const AXE_URL = "/__e2e__/axe.min.js";

export const PASSWORD = "Correct-Horse-Battery-9";
export const ADMIN = { email: process.env.E2E_ADMIN_EMAIL ?? "", password: process.env.E2E_ADMIN_PASSWORD ?? "" };
export const DEMO = { investor: "alice@demo.bankapp.test", saver: "bob@demo.bankapp.test", admin: "admin@demo.bankapp.test", password: "demo-password-2026" };

let seq = 0;
/** person makes a unique customer for this run. */
export function person(first: string) {
  seq += 1;
  const id = `${Date.now().toString(36)}${seq}`;
  return { name: `${first} Example`, email: `${first.toLowerCase()}-${id}@example.com` };
}

/** Problems are what the browser reported that no page may do: CSP violations and uncaught errors. */
export interface Watched {
  problems: string[];
  consoleErrors: string[];
}

function watch(page: Page): Watched {
  const w: Watched = { problems: [], consoleErrors: [] };
  page.on("console", (msg) => {
    const t = msg.text();
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(t)) w.problems.push(`CSP: ${t}`);
    if (msg.type() === "error") w.consoleErrors.push(t);
  });
  page.on("pageerror", (err) => w.problems.push(`page error: ${err.message}`));
  return w;
}

export const test = base.extend<{ watched: Watched }>({
  // Every page is watched; a test fails on a CSP violation or uncaught error.
  watched: [
    async ({ page, context }, use) => {
      routed.add(context);
      await context.route(`**${AXE_URL}`, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: AXE_SOURCE }));
      const w = watch(page);
      await use(w);
      expect(w.problems, "browser problems").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

const routed = new WeakSet<object>();

/** axe runs axe-core and fails on serious or critical violations. */
export async function axe(page: Page, label: string) {
  if (!routed.has(page.context())) {
    routed.add(page.context());
    await page.context().route(`**${AXE_URL}`, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: AXE_SOURCE }));
  }
  const has = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!has) await page.addScriptTag({ url: AXE_URL });
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (d: Document, o: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
      resultTypes: ["violations"],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 4) }));
  });
  const bad = found.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad, `axe on ${label}`).toEqual([]);
}

/** noSidewaysScroll asserts the page is no wider than the viewport. */
export async function noSidewaysScroll(page: Page, label: string) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(over, `${label} scrolls sideways by ${over}px`).toBeLessThanOrEqual(0);
}

/** register makes a customer through the API (fast), with their checking account. */
export async function register(request: APIRequestContext, who: { name: string; email: string }) {
  const r = await request.post("/api/v1/auth/register", { data: { email: who.email, password: PASSWORD, full_name: who.name } });
  expect(r.status(), await r.text()).toBe(201);
}

/** signIn signs in through the sign-in page and waits for the dashboard. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("net-worth").waitFor({ timeout: 20_000 });
}

/** accountNumberOf opens the accounts page and returns the number of the first account whose card matches. */
export async function openAccount(page: Page, name: RegExp) {
  await page.goto("/accounts");
  await page.locator(".account-card", { hasText: name }).first().click();
  return (await page.getByTestId("account-number").getAttribute("data-number")) ?? "";
}

/** deposit adds money through the Add money form. */
export async function deposit(page: Page, amount: string, into?: RegExp) {
  await page.goto("/move/deposit");
  if (into) await selectByText(page, "Into account", into);
  await page.getByLabel(/^Amount/).fill(amount);
  await page.getByRole("button", { name: "Add money" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Added" })).toBeVisible();
}

/** selectByText picks the first option whose text matches in the select labelled label. */
export async function selectByText(page: Page, label: string, text: RegExp) {
  const select = page.getByLabel(label, { exact: true });
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  await select.selectOption(value ?? "");
}

/** sendMoney goes through the transfer form to the review step. */
export async function reviewTransfer(page: Page, toNumber: string, amount: string, from?: RegExp) {
  await page.goto("/move/transfer");
  if (from) await selectByText(page, "From", from);
  await page.getByLabel("Recipient account number").fill(toNumber);
  await page.getByLabel(/^Amount/).fill(amount);
  await page.getByRole("button", { name: "Review" }).click();
  await page.getByRole("heading", { name: "Review your transfer" }).waitFor();
}

/** totp computes the current code for a base32 secret. */
export function totp(secret: string, timestamp = Date.now()) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp });
}
