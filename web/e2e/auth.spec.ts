import { axe, expect, person, register, signIn, test, totp } from "./fixtures";

test("signing up opens the dashboard; the sign-up page passes axe", async ({ page }) => {
  const ada = person("Ada");
  await page.goto("/signup");
  await axe(page, "sign-up");
  await page.getByLabel("Full name").fill(ada.name);
  await page.getByLabel("Email").fill(ada.email);
  await page.getByLabel("Password").fill("Correct-Horse-Battery-9");
  await page.getByRole("button", { name: "Open account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hello, Ada");
  await expect(page.getByTestId("total-balance")).toHaveText("$0.00");
  await axe(page, "dashboard (new customer)");
});

test("a signed-out visit makes no session request and logs no error", async ({ page, watched }) => {
  const refreshes: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/v1/auth/refresh")) refreshes.push(r.url());
  });
  for (const path of ["/", "/signin", "/accounts"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
  expect(refreshes).toEqual([]);
  expect(watched.consoleErrors).toEqual([]);
  await axe(page, "sign-in");
});

test("“You have signed out.” goes away once you try again, also on the 2FA step; 2FA sign-in; reload keeps you in with nothing in web storage", async ({ page, context, request }) => {
  const ada = person("Ada");
  await register(request, ada);
  await signIn(page, ada.email);
  await page.goto("/settings");
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  await page.getByAltText(/QR code/).waitFor();
  const secret = (await page.getByTestId("totp-secret").innerText()).trim();
  const enabledStep = Math.floor(Date.now() / 30_000);
  await page.getByLabel("6-digit code").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on 2FA" }).click();
  await expect(page.getByText("Two-factor authentication is on.")).toBeVisible();
  await axe(page, "settings");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You have signed out.")).toBeVisible();
  await page.getByLabel("Email").fill(ada.email);
  await page.getByLabel("Password").fill("not-the-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByText("You have signed out.")).toHaveCount(0);

  // A code is accepted once: wait for the next period if the enabling code is still current.
  if (Math.floor(Date.now() / 30_000) === enabledStep) await page.waitForTimeout((enabledStep + 1) * 30_000 - Date.now() + 500);
  await page.getByLabel("Password").fill("Correct-Horse-Battery-9");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Authentication code")).toBeFocused();
  await expect(page.getByText("You have signed out.")).toHaveCount(0);
  await page.getByLabel("Authentication code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByTestId("net-worth")).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("net-worth")).toBeVisible();
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(stored).toBe("{}{}");
  const cookies = await context.cookies();
  const refresh = cookies.find((c) => /bankapp_refresh/.test(c.name));
  expect(refresh?.httpOnly).toBe(true);
  expect(refresh?.sameSite).toBe("Strict");
  const hint = cookies.find((c) => c.name === "bankapp_signed_in");
  expect(hint?.value).toBe("1");
});
