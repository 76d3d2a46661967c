import { QueryClientProvider, useQuery } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { expect, it } from "vitest";
import { MemoryRouter, Route, Routes } from "react-router";
import { ApiClient } from "../api/client";
import { SignIn } from "../pages/auth/SignIn";
import { USER, fakeServer } from "../test/harness";
import { newQueryClient } from "./App";
import { AuthProvider, useAuth } from "./auth";

function Accounts() {
  const { api, status } = useAuth();
  const q = useQuery({ queryKey: ["sessions"], queryFn: api.sessions, enabled: status === "signed-in" });
  return <p>{status === "signed-in" ? (q.data ? "loaded" : "loading") : status}</p>;
}

it("restores the session from the refresh cookie, then sends the user to sign in with a message when it ends", async () => {
  document.cookie = "bankapp_signed_in=1; Path=/";
  let refreshes = 0;
  const server = fakeServer({
    // The first refresh (page load) works; the session is revoked afterwards.
    "POST /api/v1/auth/refresh": () =>
      ++refreshes === 1
        ? { status: 200, body: { access_token: "tok1", token_type: "Bearer", expires_in: 900 } }
        : { status: 401, body: { code: "unauthorized", detail: "Please sign in." } },
    "GET /api/v1/me": () => ({ status: 200, body: { user: USER } }),
    "GET /api/v1/accounts": () => ({ status: 200, body: { items: [] } }),
    "GET /api/v1/me/sessions": () => ({ status: 401, body: { code: "unauthorized", detail: "Please sign in." } }),
  });
  render(
    <QueryClientProvider client={newQueryClient()}>
      <MemoryRouter initialEntries={["/accounts"]}>
        <AuthProvider client={new ApiClient({ fetch: server.fetchFn })}>
          <Routes>
            <Route path="/accounts" element={<Accounts />} />
            <Route path="/signin" element={<SignIn />} />
          </Routes>
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByText("Your session has ended. Please sign in again.")).toBeInTheDocument();
  expect(screen.getByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  const keys = server.requests.map((r) => r.key);
  expect(keys[0]).toBe("POST /api/v1/auth/refresh");
  expect(keys.slice(1, 3).sort()).toEqual(["GET /api/v1/accounts", "GET /api/v1/me"]);
  expect(keys.slice(3)).toEqual(["GET /api/v1/me/sessions", "POST /api/v1/auth/refresh"]);
  expect(server.requests[3]!.headers.Authorization).toBe("Bearer tok1");
  // Nothing about the session is kept in web storage.
  expect(localStorage.length + sessionStorage.length).toBe(0);
});

it("a browser that never signed in (or signed out) asks for no session at all: no 401 in the console", async () => {
  const server = fakeServer({
    "POST /api/v1/auth/refresh": () => ({ status: 401, body: { code: "unauthorized", detail: "Please sign in." } }),
  });
  render(
    <QueryClientProvider client={newQueryClient()}>
      <MemoryRouter initialEntries={["/signin"]}>
        <AuthProvider client={new ApiClient({ fetch: server.fetchFn })}>
          <Routes>
            <Route path="/signin" element={<SignIn />} />
          </Routes>
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  await new Promise((r) => setTimeout(r, 20));
  expect(server.requests).toEqual([]);
});

it("signing out removes the hint; signing in sets it", async () => {
  const { clearSessionHint, hasSessionHint, setSessionHint } = await import("./sessionHint");
  expect(hasSessionHint()).toBe(false);
  setSessionHint();
  expect(hasSessionHint()).toBe(true);
  clearSessionHint();
  expect(hasSessionHint()).toBe(false);
});
