import { defineConfig } from "@playwright/test";

// The browser is Debian's chromium (scripts/e2e.sh installs it with apt when
// missing); Playwright never downloads one. The server is the real Go
// binary on a fresh database, started by scripts/e2e.sh (BANKAPP_URL).
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
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
};

export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
};
export const DESKTOP = { viewport: { width: 1366, height: 900 } };

export default defineConfig({
  testDir: ".",
  // One worker: the machine has two cores shared with others, and the server
  // under test is one process.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: process.env.E2E_OUTPUT_DIR || "../test-results",
  use: {
    baseURL: process.env.BANKAPP_URL || "http://127.0.0.1:3001",
    launchOptions,
    headless: true,
    acceptDownloads: true,
    actionTimeout: 10_000,
    trace: "off",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "desktop", testIgnore: /(phone|shots)\.spec\.ts/, use: DESKTOP },
    { name: "phone", testMatch: /phone\.spec\.ts/, use: PHONE },
    { name: "shots", testMatch: /shots\.spec\.ts/, use: DESKTOP },
  ],
});
