import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Api } from "./endpoints";
import type * as T from "./types";

// Field lists typed with `satisfies Record<keyof X, true>`: the compiler makes
// each list match its TypeScript type exactly, and this test matches each list
// against the OpenAPI schema, so the client's types cannot drift from the server.
const spec = resolve(__dirname, "../../../internal/api/openapi.json");
type Schema = { properties?: Record<string, unknown>; required?: string[] };
const schemas: Record<string, Schema> = existsSync(spec)
  ? ((JSON.parse(readFileSync(spec, "utf8")) as { components?: { schemas?: Record<string, Schema> } }).components?.schemas ?? {})
  : {};
const have = Object.keys(schemas).length > 0;

type Keys<X> = Record<keyof X, true>;
type Body<K extends keyof Api> = NonNullable<Parameters<Api[K]>[0]>;

const responses: [string, Record<string, true>][] = [
  ["User", { id: true, email: true, full_name: true, role: true, totp_enabled: true, email_verified: true, created_at: true } satisfies Keys<T.User>],
  ["AdminUser", { id: true, email: true, full_name: true, role: true, totp_enabled: true, email_verified: true, created_at: true, account_count: true } satisfies Keys<T.AdminUser>],
  ["TokenResponse", { access_token: true, token_type: true, expires_in: true, refresh_token: true, user: true } satisfies Keys<T.LoginResponse>],
  ["Session", { id: true, created_at: true, last_used_at: true, user_agent: true, ip: true, current: true } satisfies Keys<T.Session>],
  ["TOTPSetup", { secret: true, otpauth_url: true } satisfies Keys<T.TOTPSetup>],
  ["Account", { id: true, number: true, type: true, currency: true, name: true, balance: true, available_balance: true, status: true, created_at: true } satisfies Keys<T.Account>],
  ["Entry", { id: true, transfer_id: true, kind: true, amount: true, currency: true, balance_after: true, description: true, counterparty: true, created_at: true } satisfies Keys<T.Entry>],
  ["Transfer", { id: true, kind: true, status: true, from_account_id: true, to_account_id: true, to_account_number: true, amount: true, currency: true, description: true, created_at: true } satisfies Keys<T.Transfer>],
  ["ScheduledTransfer", { id: true, from_account_id: true, to_account_number: true, amount: true, currency: true, description: true, frequency: true, start_date: true, end_date: true, next_run_at: true, last_run_at: true, last_status: true, status: true, created_at: true } satisfies Keys<T.ScheduledTransfer>],
  ["Payee", { id: true, name: true, account_number: true, created_at: true } satisfies Keys<T.Payee>],
  ["Instrument", { symbol: true, name: true, type: true, exchange: true } satisfies Keys<T.Instrument>],
  ["Quote", { symbol: true, price: true, currency: true, change: true, change_percent: true, as_of: true, source: true, stale: true } satisfies Keys<T.Quote>],
  ["PriceHistory", { symbol: true, currency: true, points: true } satisfies Keys<T.PriceHistory>],
  ["Order", { id: true, account_id: true, symbol: true, side: true, quantity: true, price: true, total: true, currency: true, status: true, created_at: true } satisfies Keys<T.Order>],
  ["Holding", { symbol: true, quantity: true, average_cost: true, price: true, market_value: true, unrealized_pl: true, unrealized_pl_percent: true, weight: true } satisfies Keys<T.Holding>],
  ["Portfolio", { cash: true, holdings: true, total_value: true, realized_pl: true, day_change: true, currency: true } satisfies Keys<T.Portfolio>],
  ["PortfolioHistory", { points: true } satisfies Keys<T.PortfolioHistory>],
  ["WatchItem", { symbol: true, added_at: true } satisfies Keys<T.WatchItem>],
  ["AuditEvent", { id: true, at: true, actor_id: true, action: true, target: true, ip: true, request_id: true, outcome: true } satisfies Keys<T.AuditEvent>],
  ["LedgerReport", { ok: true, accounts_checked: true, transfers_checked: true, problems: true } satisfies Keys<T.LedgerCheck>],
  ["LedgerProblem", { kind: true, ref: true, detail: true } satisfies Keys<T.LedgerProblem>],
];

// Request bodies: the server refuses unknown fields, so every field the client can send must be declared.
const requests: [string, Record<string, true>][] = [
  ["RegisterRequest", { email: true, password: true, full_name: true } satisfies Keys<Body<"register">>],
  ["LoginRequest", { email: true, password: true, totp_code: true, session: true } satisfies Keys<Body<"login"> & { session: string }>],
  ["PatchMeRequest", { full_name: true } satisfies Keys<Body<"updateMe">>],
  ["PasswordChangeRequest", { current_password: true, new_password: true } satisfies Keys<Body<"changePassword">>],
  ["OpenAccountRequest", { type: true, currency: true, name: true } satisfies Keys<Body<"openAccount">>],
  ["MovementRequest", { account_id: true, amount: true, description: true } satisfies Keys<Body<"deposit">>],
  ["MovementRequest", { account_id: true, amount: true, description: true } satisfies Keys<Body<"withdraw">>],
  ["TransferRequest", { from_account_id: true, to_account_number: true, amount: true, description: true } satisfies Keys<Body<"transfer">>],
  ["ScheduledTransferRequest", { from_account_id: true, to_account_number: true, amount: true, description: true, frequency: true, start_date: true, end_date: true } satisfies Keys<Body<"createScheduled">>],
  ["PayeeRequest", { name: true, account_number: true } satisfies Keys<Body<"createPayee">>],
  ["OrderRequest", { account_id: true, symbol: true, side: true, quantity: true, notional: true } satisfies Keys<Body<"placeOrder">>],
];

describe.skipIf(!have)("client types vs OpenAPI schemas", () => {
  it.each(responses)("response %s: the client reads only declared fields and models every required one", (name, keys) => {
    const s = schemas[name];
    expect(s, `schema ${name}`).toBeDefined();
    const props = Object.keys(s?.properties ?? {}).sort();
    expect(Object.keys(keys).filter((k) => !props.includes(k))).toEqual([]);
    expect((s?.required ?? []).filter((k) => !(k in keys))).toEqual([]);
  });

  it.each(requests)("request %s: every field the client sends is declared", (name, keys) => {
    const props = Object.keys(schemas[name]?.properties ?? {});
    expect(Object.keys(keys).filter((k) => !props.includes(k))).toEqual([]);
    expect((schemas[name]?.required ?? []).filter((k) => !(k in keys))).toEqual([]);
  });
});
