import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { useEffect } from "react";
import { useAuth } from "../../app/auth";
import { USER, renderApp } from "../../test/harness";
import { SignIn } from "./SignIn";

it("asks for the 2FA code when login answers totp_required, then signs in", async () => {
  const user = userEvent.setup({ delay: null });
  const { server } = renderApp(<SignIn />, {
    "POST /api/v1/auth/refresh": () => ({ status: 401, body: { code: "unauthorized" } }),
    "POST /api/v1/auth/login": (body) => {
      const b = body as { totp_code?: string };
      if (!b.totp_code) return { status: 401, body: { code: "totp_required", detail: "Enter the code from your authenticator app." } };
      if (b.totp_code !== "123456") return { status: 401, body: { code: "invalid_totp", detail: "That code is not valid." } };
      return { status: 200, body: { access_token: "tok", token_type: "Bearer", expires_in: 900, user: { ...USER, totp_enabled: true } } };
    },
  }, "/signin", "/signin");
  // PublicOnly isn't in this harness; SignIn renders straight away.
  await user.type(await screen.findByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), "correct horse battery");
  await user.click(screen.getByRole("button", { name: "Sign in" }));

  const code = await screen.findByLabelText("Authentication code");
  expect(code).toHaveFocus();
  await user.type(code, "000000");
  await user.click(screen.getByRole("button", { name: "Verify and sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("That code is not valid.");

  await user.clear(code);
  await user.type(code, "123456");
  await user.click(screen.getByRole("button", { name: "Verify and sign in" }));
  const logins = server.requests.filter((r) => r.key === "POST /api/v1/auth/login");
  expect(await screen.findByText("other page")).toBeInTheDocument();
  expect(logins.at(-1)?.body).toEqual({ email: "ada@example.com", password: "correct horse battery", totp_code: "123456", session: "cookie" });
});

it("shows the API's message next to the field it names", async () => {
  const user = userEvent.setup({ delay: null });
  renderApp(<SignIn />, {
    "POST /api/v1/auth/refresh": () => ({ status: 401, body: { code: "unauthorized" } }),
    "POST /api/v1/auth/login": () => ({
      status: 422,
      body: { code: "validation_failed", detail: "Check the fields.", errors: [{ field: "email", message: "Enter a valid email address." }] },
    }),
  }, "/signin", "/signin");
  await user.type(await screen.findByLabelText("Email"), "nope");
  await user.type(screen.getByLabelText("Password"), "whatever-password");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  const email = screen.getByLabelText("Email");
  expect(await screen.findByText("Enter a valid email address.")).toBeInTheDocument();
  expect(email).toHaveAttribute("aria-invalid", "true");
  expect(email).toHaveAccessibleDescription("Enter a valid email address.");
});

function AfterSignOut() {
  const { setNotice } = useAuth();
  useEffect(() => setNotice("You have signed out."), [setNotice]);
  return <SignIn />;
}

it("drops “You have signed out.” once the customer tries again: not beside a wrong password, not on the 2FA step", async () => {
  const user = userEvent.setup({ delay: null });
  let attempt = 0;
  renderApp(<AfterSignOut />, {
    "POST /api/v1/auth/login": () =>
      ++attempt === 1
        ? { status: 401, body: { code: "invalid_credentials", detail: "The email or password is not right." } }
        : { status: 401, body: { code: "totp_required", detail: "Enter the code from your authenticator app." } },
  }, "/signin", "/signin", { signedIn: false });
  expect(await screen.findByText("You have signed out.")).toBeInTheDocument();
  await user.type(screen.getByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), "wrong password!!");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("The email or password is not right.");
  expect(screen.queryByText("You have signed out.")).toBeNull();
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByLabelText("Authentication code")).toBeInTheDocument();
  expect(screen.queryByText("You have signed out.")).toBeNull();
});
