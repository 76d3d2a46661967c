import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PASSWORD, expect, person, register, signIn, test, totp } from "./fixtures";

/**
 * linkFor reads the newest message to `to` in the development file outbox
 * (MAIL_DRIVER unset: <BANKAPP_DATA_DIR>/outbox/*.eml, written by the job
 * runner) and returns the path and query of its link to `page`.
 */
function linkFor(to: string, page: "/reset-password" | "/verify-email"): string | null {
  const dir = join(process.env.BANKAPP_DATA_DIR ?? "", "outbox");
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".eml") && !f.startsWith("."));
  } catch {
    return null;
  }
  const found = files
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs, text: readFileSync(join(dir, f), "utf8") }))
    // Quoted-printable: join soft line breaks, decode "=3D".
    .map((m) => ({ ...m, text: m.text.replace(/=\r?\n/g, "").replace(/=3D/gi, "=") }))
    .filter((m) => m.text.toLowerCase().includes(to.toLowerCase()) && m.text.includes(`${page}?token=`))
    .sort((a, b) => a.t - b.t);
  const last = found.at(-1);
  const m = last && new RegExp(`${page}\\?token=([A-Za-z0-9_-]+)`).exec(last.text);
  return m ? `${page}?token=${m[1]}` : null;
}

test("forgot password: the same answer for any address; the emailed link sets a new password that signs in", async ({ page, request }) => {
  test.skip(!process.env.BANKAPP_DATA_DIR, "needs the server's data dir (scripts/e2e.sh exports it)");
  const cy = person("Cy");
  await register(request, cy);

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  // No enumeration: an unknown address gets the same confirmation.
  await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  const unknownAnswer = await page.getByRole("status").innerText();
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(cy.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toHaveText(unknownAnswer);
  expect(unknownAnswer).toContain("If there is a BankApp account for that address");

  let link: string | null = null;
  await expect.poll(() => (link = linkFor(cy.email, "/reset-password")), { timeout: 20_000, message: "reset email in the outbox" }).not.toBeNull();
  const fresh = "Lantern-Orchard-Velvet-73";
  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Confirm new password").fill(fresh);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByText("Your password has been changed")).toBeVisible();

  // The old password no longer works; the new one does.
  const old = await request.post("/api/v1/auth/login", { data: { email: cy.email, password: PASSWORD } });
  expect(old.status()).toBe(401);
  await signIn(page, cy.email, fresh);

  // The link is single use.
  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill("Another-Long-Passphrase-88");
  await page.getByLabel("Confirm new password").fill("Another-Long-Passphrase-88");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("alert")).toContainText("expired or has already been used");
});

test("email not confirmed: a banner with resend; the emailed link confirms it and the banner goes", async ({ page, request }) => {
  test.skip(!process.env.BANKAPP_DATA_DIR, "needs the server's data dir (scripts/e2e.sh exports it)");
  const di = person("Di");
  await register(request, di);
  await signIn(page, di.email);
  const banner = page.getByRole("region", { name: "Address not confirmed yet" });
  await expect(banner).toBeVisible();
  await banner.getByRole("button", { name: "Resend email" }).click();
  await expect(banner).toContainText("We've sent a new link");
  let link: string | null = null;
  await expect.poll(() => (link = linkFor(di.email, "/verify-email")), { timeout: 20_000 }).not.toBeNull();
  await page.goto(link!);
  await expect(page.getByText("your email address is confirmed")).toBeVisible();
  await page.getByRole("link", { name: "Go to your dashboard" }).click();
  await expect(page.getByTestId("net-worth")).toBeVisible();
  await expect(page.getByRole("region", { name: "Address not confirmed yet" })).toHaveCount(0);
});

test("recovery codes are shown once after turning on 2FA; one signs in in place of the app's code, once", async ({ page, request }) => {
  const ed = person("Ed");
  await register(request, ed);
  await signIn(page, ed.email);
  await page.goto("/settings");
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  const secret = (await page.getByTestId("totp-secret").innerText()).trim();
  await page.getByLabel("6-digit code").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on 2FA" }).click();
  await expect(page.getByText("Two-factor authentication is on.")).toBeVisible();
  const codesForm = page.getByRole("form", { name: "Create recovery codes" });
  await codesForm.getByLabel("Password").fill(PASSWORD);
  await codesForm.getByRole("button", { name: "Create recovery codes" }).click();
  const list = page.getByTestId("recovery-codes").locator("li");
  await expect(list).toHaveCount(10);
  const code = (await list.first().innerText()).trim();
  expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
  await page.getByRole("button", { name: "I've saved them" }).click();
  await expect(page.getByTestId("recovery-codes")).toHaveCount(0);

  for (const attempt of ["first", "again"] as const) {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.getByLabel("Email").fill(ed.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(code.toUpperCase());
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    if (attempt === "first") {
      await expect(page.getByTestId("net-worth")).toBeVisible();
    } else {
      await expect(page.getByRole("alert")).toContainText("already been used");
    }
  }
});
