import { PHONE } from "./playwright.config";
import { expect, person, register, signIn, test } from "./fixtures";

test("sessions read as devices, not addresses; signing out another device ends it there with a message", async ({ page, browser, request }) => {
  const ada = person("Ada");
  await register(request, ada);
  await signIn(page, ada.email);
  const phone = await browser.newContext(PHONE);
  const phonePage = await phone.newPage();
  await signIn(phonePage, ada.email);
  await phonePage.goto("/settings");
  const list = phonePage.locator("section", { has: phonePage.getByRole("heading", { name: "Where you're signed in" }) });
  await expect(phonePage.getByText("This device")).toBeVisible();
  await expect(list.first()).toContainText("Chrome on Android");
  await expect(list.first()).toContainText("Chrome on Linux");
  await expect(list.first()).toContainText("This computer");
  await expect(list.first()).not.toContainText("::1");
  await expect(list.first()).not.toContainText("127.0.0.1");
  await phonePage.getByRole("button", { name: /^Sign out Chrome on Linux session$/ }).click();
  await expect(phonePage.getByRole("button", { name: /^Sign out .* session$/ })).toHaveCount(0);

  // The desktop tab's next API call is refused; the silent refresh is refused too.
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByText("Your session has ended. Please sign in again.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await phone.close();
});
