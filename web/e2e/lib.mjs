// Helpers for the end-to-end run: browser launch, axe scans, screenshots, TOTP.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import * as OTPAuth from "otpauth";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
/** AXE_URL is a same-origin path the test routes to the npm axe-core file, so the page's CSP allows it. */
const AXE_URL = "/__e2e__/axe.min.js";

/**
 * launch starts Debian's chromium headless; never downloads a browser.
 * Playwright itself gives each launch a fresh temporary --user-data-dir (it
 * refuses one in args), and deletes it on close.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * newContext makes a browser context that records CSP violations and page
 * errors (each page gets a .problems array) and serves axe-core at AXE_URL.
 */
export async function newContext(browser, baseURL, opts = {}) {
  const ctx = await browser.newContext({ baseURL, acceptDownloads: true, ...opts });
  await ctx.route(`**${AXE_URL}`, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: AXE_SOURCE }),
  );
  ctx.on("page", watch);
  ctx.setDefaultTimeout(Number(process.env.E2E_TIMEOUT_MS || 10_000));
  return ctx;
}

function watch(page) {
  page.problems = [];
  page.on("console", (msg) => {
    const t = msg.text();
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(t)) page.problems.push(`CSP: ${t}`);
  });
  page.on("pageerror", (err) => page.problems.push(`page error: ${err.message}`));
}

/** newPage opens a page whose problems are watched. */
export async function newPage(ctx) {
  const page = await ctx.newPage();
  if (!page.problems) watch(page);
  return page;
}

/** axeScan runs axe-core on the page and returns serious and critical violations. */
export async function axeScan(page) {
  const has = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!has) await page.addScriptTag({ url: AXE_URL });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** totp computes the current code for a base32 secret. */
export function totp(secret, timestamp = Date.now()) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp });
}

/** Runner runs named steps in order, skipping the rest of a flow after a failure, and prints a summary. */
export class Runner {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.failures = [];
  }

  /** flow returns a step function whose steps are skipped once one fails. */
  flow(name) {
    let broken = false;
    return async (step, fn) => {
      const label = `${name} › ${step}`;
      if (broken) {
        this.skipped++;
        console.log(`  - skip ${label}`);
        return;
      }
      const t0 = Date.now();
      try {
        await fn();
        this.passed++;
        console.log(`  ✓ ${label} (${Date.now() - t0} ms)`);
      } catch (err) {
        broken = true;
        this.failed++;
        this.failures.push({ label, err });
        console.log(`  ✗ ${label}\n      ${String(err?.stack ?? err).split("\n").slice(0, 6).join("\n      ")}`);
      }
    };
  }

  summary() {
    console.log(`\ne2e: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`);
    return this.failed === 0;
  }
}

/** assert throws with msg when cond is false. */
export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
