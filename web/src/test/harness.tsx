import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { ApiClient } from "../api/client";
import type { Account } from "../api/types";
import { newQueryClient } from "../app/App";
import { AuthProvider } from "../app/auth";

/** Route is a fake server route: method + path (no query) → response body/status. */
export type FakeRoutes = Record<string, (body: unknown, url: URL, init: RequestInit) => { status: number; body?: unknown }>;

/** fakeServer makes a fetch that answers by "METHOD /path" and records requests. */
export function fakeServer(routes: FakeRoutes) {
  const requests: { key: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://localhost");
    const key = `${init.method ?? "GET"} ${url.pathname}`;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ key, body, headers: (init.headers as Record<string, string>) ?? {} });
    const h = routes[key];
    if (!h) return new Response(JSON.stringify({ code: "not_found", detail: `no fake for ${key}` }), { status: 404 });
    const r = h(body, url, init);
    const ct = r.status >= 400 ? "application/problem+json" : "application/json";
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { "Content-Type": ct } });
  }) as typeof fetch;
  return { fetchFn, requests };
}

export const USER = {
  id: "u1",
  email: "ada@example.com",
  full_name: "Ada Lovelace",
  role: "customer" as const,
  totp_enabled: false,
  email_verified: true,
  created_at: "2026-11-01T10:00:00Z",
};

/** account makes an account for fake answers. */
export function account(p: Partial<Account> = {}): Account {
  return {
    id: "acc1",
    number: "100000000016",
    type: "checking",
    currency: "USD",
    name: "Everyday",
    balance: "5.00",
    available_balance: "5.00",
    status: "active",
    created_at: "2026-11-01T10:00:00Z",
    ...p,
  };
}

/** signedInRoutes answers the session bootstrap as a signed-in user. */
export const signedInRoutes: FakeRoutes = {
  "POST /api/v1/auth/refresh": () => ({ status: 200, body: { access_token: "tok", token_type: "Bearer", expires_in: 900 } }),
  "GET /api/v1/me": () => ({ status: 200, body: { user: USER } }),
};

/** renderApp renders ui inside the app's providers at path, against a fake server. */
export function renderApp(ui: ReactNode, routes: FakeRoutes, path = "/", routePath = "*", { signedIn = true } = {}) {
  // A browser that signed in before carries the session hint cookie.
  if (signedIn) document.cookie = "bankapp_signed_in=1; Path=/";
  const server = fakeServer(routes);
  const client = new ApiClient({ fetch: server.fetchFn });
  const qc = newQueryClient();
  const utils = render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider client={client}>
          <Routes>
            <Route path={routePath} element={ui} />
            {routePath !== "/signin" && <Route path="/signin" element={<p>sign-in page</p>} />}
            {routePath !== "*" && <Route path="*" element={<p>other page</p>} />}
          </Routes>
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...utils, server, client };
}
