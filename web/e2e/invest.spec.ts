import { type Page } from "@playwright/test";
import { DEMO, axe, deposit, expect, person, register, selectByText, signIn, test } from "./fixtures";

const RANGE_LABELS = ["1D", "5D", "1M", "6M", "1Y", "5Y"];

/** checkAxes: distinct time labels, y labels with the currency and thousands separators. */
async function checkAxes(page: Page, chart: string) {
  const svg = page.locator(`${chart} .chart-svg`).first();
  await svg.waitFor();
  const xs = await page.locator(`${chart} .chart-x .chart-tick`).allTextContents();
  const ys = await page.locator(`${chart} .chart-y .chart-tick`).allTextContents();
  expect(xs.length, `${chart} x ticks`).toBeGreaterThan(1);
  expect(new Set(xs).size, `${chart} x ticks ${xs.join(" | ")} repeat`).toBe(xs.length);
  expect(ys.length).toBeGreaterThan(1);
  for (const y of ys) expect(y, `${chart} y tick`).toMatch(/^−?-?\$\d{1,3}(,\d{3})*(\.\d+)?[KM]?$/);
}

/** stepPath: every segment of the balance line is horizontal or vertical (no smoothing past real balances). */
async function expectStepLine(page: Page, chart: string) {
  const d = (await page.locator(`${chart} .chart-line`).first().getAttribute("d")) ?? "";
  const pts = [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  expect(pts.length).toBeGreaterThan(3);
  expect(d).not.toMatch(/C/); // no curves
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1]!;
    const [x1, y1] = pts[i]!;
    expect(Math.abs(x1 - x0) < 0.01 || Math.abs(y1 - y0) < 0.01, `segment ${i} of ${chart} is diagonal: ${x0},${y0} → ${x1},${y1}`).toBe(true);
  }
}

test("a new investor: buy, the holding page, Today equals P&L for a position bought minutes ago, trades read plainly", async ({ page, request }) => {
  const ada = person("Ada");
  await register(request, ada);
  await signIn(page, ada.email);
  await deposit(page, "1500");
  await page.goto("/invest");
  await page.getByRole("button", { name: "Open brokerage account" }).click();
  await expect(page.getByRole("heading", { name: "Your portfolio" })).toBeVisible();
  await page.goto("/move/transfer");
  await selectByText(page, "To", /Investments/);
  await page.getByLabel("Amount (USD)").fill("1000");
  await page.getByRole("button", { name: "Review" }).click();
  await page.getByRole("button", { name: "Send $1,000.00" }).click();
  await expect(page.getByRole("status").filter({ hasText: "sent" })).toBeVisible();

  await page.goto("/invest");
  await page.getByLabel("Symbol or name").fill("AAPL");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: /Apple Inc\./ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Apple Inc.");
  await page.getByRole("button", { name: "Quantity" }).click();
  await page.getByLabel("Quantity").fill("2");
  await page.getByRole("button", { name: "Preview order" }).click();
  await expect(page.getByText("Estimated total")).toBeVisible();
  await page.getByRole("button", { name: "Place buy order" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Order filled" })).toBeVisible({ timeout: 15_000 });

  const position = page.getByTestId("position");
  await expect(position).toContainText("2");
  const today = (await page.getByTestId("position-today").innerText()).trim();
  const since = (await position.locator("dt", { hasText: "Since purchase" }).locator("xpath=following-sibling::dd[1]").locator(".money").innerText()).trim();
  expect(today, "a position bought minutes ago moved today exactly as much as since its purchase").toBe(since);
  await expect(page.getByRole("list", { name: "AAPL orders" }).locator("li")).toHaveCount(1);
  await axe(page, "holding page");
  await checkAxes(page, ".line-chart");
  expect(await page.getByRole("group", { name: "Price chart range" }).getByRole("button").allTextContents()).toEqual(RANGE_LABELS);

  await page.goto("/invest");
  const todayTotal = (await page.getByTestId("portfolio-today").innerText()).trim();
  expect(todayTotal).toBe(today);
  await expect(page.getByRole("list", { name: "Holdings" }).getByRole("link", { name: /AAPL/ })).toBeVisible();
  await expect(page.getByTestId("allocation").locator(".legend li", { hasText: "Stocks and funds" })).toBeVisible();

  await page.goto("/accounts");
  await page.locator(".account-card", { hasText: "Investments" }).click();
  await expect(page.locator(".entry-title", { hasText: /^Bought 2 AAPL at \$[\d,]+\.\d{2}$/ })).toBeVisible();
  await expect(page.locator(".entries")).not.toContainText("00000");
});

test("the demo investor: stock and crypto allocation, step-line portfolio history from the first deposit, sparklines, honest axes, no seam", async ({ page }) => {
  await signIn(page, DEMO.investor, DEMO.password);
  await expectStepLine(page, ".line-chart");
  await checkAxes(page, ".line-chart");
  await page.goto("/invest");
  const alloc = page.getByTestId("allocation");
  await expect(alloc.locator(".legend li", { hasText: "Crypto" })).toBeVisible();
  await expect(alloc.locator(".legend li", { hasText: "Stocks and funds" })).toBeVisible();
  for (const path of await alloc.locator(".donut-slice").all()) {
    expect(await path.evaluate((el) => getComputedStyle(el).stroke)).toBe("none");
  }
  const group = page.getByRole("group", { name: "Portfolio chart range" });
  expect(await group.getByRole("button").allTextContents()).toEqual(RANGE_LABELS);
  await group.getByRole("button", { name: "5Y" }).click();
  const chart = page.locator(".portfolio .line-chart");
  await expect(chart.locator(".chart-svg")).toHaveAttribute("aria-label", /^Portfolio value: from \$[1-9]/);
  await expectStepLine(page, ".portfolio .line-chart");
  await checkAxes(page, ".portfolio .line-chart");
  await expect(page.locator(".watch-row svg.spark")).toHaveCount(3);
  await expect(page.getByRole("list", { name: "Holdings" }).getByRole("link")).toHaveCount(5);
  await axe(page, "invest (investor)");
  await page.getByRole("list", { name: "Holdings" }).getByRole("link", { name: /BTC-USD/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bitcoin");
  await expect(page.getByRole("list", { name: "BTC-USD orders" }).locator("li").nth(5)).toBeVisible();
});
