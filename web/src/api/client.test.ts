import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError } from "./client";
import { EP, makeApi } from "./endpoints";

type Call = { url: string; init: RequestInit };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const ct = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": ct, ...headers } });
}

/** fakeFetch answers from a queue of responders and records every call. */
function fakeFetch(responders: ((c: Call) => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const c = { url: String(input), init: init ?? {} };
    calls.push(c);
    const r = responders.shift();
    if (!r) throw new Error(`unexpected call ${c.url}`);
    return r(c);
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

function header(c: Call, name: string): string | undefined {
  return (c.init.headers as Record<string, string> | undefined)?.[name];
}

describe("ApiClient errors", () => {
  it("turns a problem document into an ApiError with field messages", async () => {
    const f = fakeFetch([
      () =>
        json(422, {
          title: "Validation failed",
          status: 422,
          detail: "Some fields are not valid.",
          code: "validation_failed",
          errors: [{ field: "password", message: "Use at least 12 characters." }],
        }),
    ]);
    const api = makeApi(new ApiClient({ fetch: f.fn }));
    const err = await api.register({ email: "a@b.c", password: "short", full_name: "A" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.code).toBe("validation_failed");
    expect(e.detail).toBe("Some fields are not valid.");
    expect(e.fields).toEqual({ password: "Use at least 12 characters." });
  });

  it("keeps insufficient_funds detail and the Idempotency-Key header", async () => {
    const f = fakeFetch([() => json(422, { detail: "Insufficient funds: available balance is $5.00.", code: "insufficient_funds" })]);
    const client = new ApiClient({ fetch: f.fn });
    client.setAccessToken("tok");
    const api = makeApi(client);
    const err = (await api.withdraw({ account_id: "a1", amount: "10.00" }, "key-1").catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe("insufficient_funds");
    expect(err.detail).toMatch(/Insufficient funds/);
    expect(header(f.calls[0]!, "Idempotency-Key")).toBe("key-1");
    expect(header(f.calls[0]!, "Authorization")).toBe("Bearer tok");
    expect(f.calls[0]!.init.body).toBe(JSON.stringify({ account_id: "a1", amount: "10.00" }));
  });

  it("reports a network failure as status 0 with a readable message", async () => {
    const client = new ApiClient({
      fetch: (async () => {
        throw new TypeError("Failed to fetch");
      }) as unknown as typeof fetch,
    });
    const err = (await makeApi(client).me().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.code).toBe("network_error");
    expect(err.detail).toMatch(/Could not reach BankApp/);
  });

  it("reads Retry-After on 429", async () => {
    const f = fakeFetch([() => json(429, { detail: "Too many attempts.", code: "account_locked" }, { "Retry-After": "60" })]);
    const err = (await makeApi(new ApiClient({ fetch: f.fn })).login({ email: "x@y.z", password: "p" }).catch((e: unknown) => e)) as ApiError;
    expect(err.retryAfter).toBe(60);
    expect(err.code).toBe("account_locked");
  });
});

describe("ApiClient auth", () => {
  it("asks for a cookie session at login and never refreshes on a login 401", async () => {
    const f = fakeFetch([() => json(401, { detail: "Enter your 2FA code.", code: "totp_required" })]);
    const expired = vi.fn();
    const api = makeApi(new ApiClient({ fetch: f.fn, onSessionExpired: expired }));
    const err = (await api.login({ email: "x@y.z", password: "pw" }).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe("totp_required");
    expect(JSON.parse(String(f.calls[0]!.init.body))).toEqual({ email: "x@y.z", password: "pw", session: "cookie" });
    expect(f.calls).toHaveLength(1);
    expect(expired).not.toHaveBeenCalled();
  });

  it("refreshes silently on 401 and retries with the new token and the same Idempotency-Key", async () => {
    const f = fakeFetch([
      () => json(401, { code: "unauthorized", detail: "Sign in again." }),
      () => json(200, { access_token: "new", token_type: "Bearer", expires_in: 900 }),
      () => json(201, { transfer: { id: "t1" } }),
    ]);
    const client = new ApiClient({ fetch: f.fn });
    client.setAccessToken("old");
    const res = await makeApi(client).deposit({ account_id: "a", amount: "1.00" }, "k-42");
    expect(res.transfer.id).toBe("t1");
    expect(f.calls.map((c) => c.url)).toEqual(["/api/v1/deposits", "/api/v1/auth/refresh", "/api/v1/deposits"]);
    // The refresh relies on the HttpOnly cookie: empty body, same-origin credentials.
    expect(f.calls[1]!.init.body).toBeUndefined();
    expect(f.calls[1]!.init.credentials).toBe("same-origin");
    expect(header(f.calls[2]!, "Authorization")).toBe("Bearer new");
    expect(header(f.calls[0]!, "Idempotency-Key")).toBe("k-42");
    expect(header(f.calls[2]!, "Idempotency-Key")).toBe("k-42");
  });

  it("shares one refresh between concurrent 401s", async () => {
    let refreshes = 0;
    const calls: string[] = [];
    let token = "old";
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      calls.push(url);
      if (url.endsWith("/auth/refresh")) {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        token = "new";
        return json(200, { access_token: "new", token_type: "Bearer", expires_in: 900 });
      }
      const auth = (init?.headers as Record<string, string>).Authorization;
      return auth === `Bearer ${token}` && token === "new" ? json(200, { items: [] }) : json(401, { code: "unauthorized" });
    }) as typeof fetch;
    const client = new ApiClient({ fetch: fetchFn });
    client.setAccessToken("old");
    const api = makeApi(client);
    await Promise.all([api.accounts(), api.payees(), api.sessions()]);
    expect(refreshes).toBe(1);
  });

  it("calls onSessionExpired when the refresh cookie is gone", async () => {
    const f = fakeFetch([() => json(401, { code: "unauthorized" }), () => json(401, { code: "unauthorized" })]);
    const expired = vi.fn();
    const client = new ApiClient({ fetch: f.fn, onSessionExpired: expired });
    client.setAccessToken("old");
    const err = (await makeApi(client).accounts().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(client.hasAccessToken()).toBe(false);
  });

  it("does not refresh for a 401 after 30 minutes without user activity (polling alone)", async () => {
    let t = 1_000_000;
    const f = fakeFetch([() => json(200, []), () => json(401, { code: "unauthorized" })]);
    const expired = vi.fn();
    const client = new ApiClient({ fetch: f.fn, onSessionExpired: expired, now: () => t });
    client.setAccessToken("old");
    const api = makeApi(client);
    t += 29 * 60 * 1000;
    await api.watchlist(); // a background poll with a live token
    t += 60 * 1000; // 30 minutes since the last key, tap or click
    const err = (await api.watchlist().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(f.calls.map((c) => c.url)).toEqual(["/api/v1/watchlist", "/api/v1/watchlist"]);
    expect(expired).toHaveBeenCalledWith("idle");
    expect(client.hasAccessToken()).toBe(false);
  });

  it("refreshes a 401 within 30 minutes of the user's last activity", async () => {
    let t = 1_000_000;
    const f = fakeFetch([() => json(401, { code: "unauthorized" }), () => json(200, { access_token: "new" }), () => json(200, [])]);
    const client = new ApiClient({ fetch: f.fn, now: () => t });
    client.setAccessToken("old");
    t += 45 * 60 * 1000;
    client.noteActivity();
    t += 29 * 60 * 1000;
    await makeApi(client).watchlist();
    expect(f.calls.map((c) => c.url)).toEqual(["/api/v1/watchlist", "/api/v1/auth/refresh", "/api/v1/watchlist"]);
    expect(header(f.calls[2]!, "Authorization")).toBe("Bearer new");
  });

  it("encodes path parameters", async () => {
    const f = fakeFetch([() => json(200, { symbol: "BTC-USD", currency: "USD", points: [] })]);
    await makeApi(new ApiClient({ fetch: f.fn })).history("BTC/USD", "1d");
    expect(f.calls[0]!.url).toBe("/api/v1/market/history/BTC%2FUSD?range=1d");
  });

  it("downloads a statement with its file name", async () => {
    const f = fakeFetch([
      () =>
        new Response("%PDF-1.4", {
          status: 200,
          headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="statement-2026-11.pdf"' },
        }),
    ]);
    const res = await makeApi(new ApiClient({ fetch: f.fn })).statement("a1", "2026-11", "pdf");
    expect(res.filename).toBe("statement-2026-11.pdf");
    expect(await res.blob.text()).toBe("%PDF-1.4");
    expect(f.calls[0]!.url).toBe("/api/v1/accounts/a1/statements/2026-11?format=pdf");
  });

  it("lists only /api/v1 paths", () => {
    for (const [, path] of Object.values(EP)) expect(path.startsWith("/api/v1/")).toBe(true);
  });
});
