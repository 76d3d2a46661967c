// A small in-memory stand-in for the BankApp API, for developing the UI and the
// e2e script while the Go server is unavailable. It follows API.md loosely and
// is NOT used by scripts/e2e.sh, which always runs the real server.
// Usage: node e2e/fake-server.mjs [port]   (serves ../dist with the production CSP)
import { randomUUID } from "node:crypto";
import { readFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as OTPAuth from "otpauth";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "../dist");
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const TYPES = { ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".html": "text/html; charset=utf-8", ".png": "image/png" };
const users = new Map(); // email → user
const tokens = new Map(); // access token → email
const refresh = new Map(); // refresh token → email
const accounts = []; // {owner, ...account}
const entries = []; // {account_id, ...entry}
const holdings = new Map(); // account id → Map(symbol → qty cents)
const payees = []; // {owner, id, name, account_number}
const scheduled = []; // {owner, ...}
const watch = new Map(); // email → Set(symbol)
const PRICE = { AAPL: "187.43", MSFT: "411.20", "BTC-USD": "67012.55" };
let seq = 100000000;
users.set("admin@example.com", { id: randomUUID(), email: "admin@example.com", full_name: "Admin", role: "admin", totp_enabled: false, email_verified: false, created_at: new Date().toISOString(), password: "Admin-Password-42" });

function luhnNumber() {
  const base = String(++seq).padStart(11, "0");
  let sum = 0;
  for (let i = 0; i < 11; i++) {
    let d = Number(base[10 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return base + String((10 - (sum % 10)) % 10);
}
const cents = (s) => BigInt(s.replace(".", "").replace(/^(-?)0+(?=\d)/, "$1"));
const fmt = (c) => {
  const neg = c < 0n;
  const a = (neg ? -c : c).toString().padStart(3, "0");
  return `${neg ? "-" : ""}${a.slice(0, -2)}.${a.slice(-2)}`;
};
const pub = ({ owner, ...a }) => ({ ...a, available_balance: a.balance });
function openAccount(owner, type, name) {
  const a = { owner, id: randomUUID(), number: luhnNumber(), type, currency: "USD", name: name ?? type[0].toUpperCase() + type.slice(1), balance: "0.00", status: "active", created_at: new Date().toISOString() };
  accounts.push(a);
  return a;
}
function post(a, amount, kind, description, counterparty = null, transfer_id = randomUUID()) {
  a.balance = fmt(cents(a.balance) + amount);
  entries.unshift({ account_id: a.id, id: randomUUID(), transfer_id, kind, amount: fmt(amount), currency: "USD", balance_after: a.balance, description, counterparty, created_at: new Date().toISOString() });
}
function problem(res, status, code, detail, errors) {
  res.writeHead(status, { "Content-Type": "application/problem+json" });
  res.end(JSON.stringify({ title: code, status, code, detail, ...(errors ? { errors } : {}) }));
}
function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}
function session(email, res, status = 200) {
  const at = randomUUID();
  const rt = randomUUID();
  tokens.set(at, email);
  refresh.set(rt, email);
  const { password, secret, ...user } = users.get(email);
  send(res, status, { access_token: at, token_type: "Bearer", expires_in: 900, user }, { "Set-Cookie": `bankapp_refresh=${rt}; Path=/; HttpOnly; SameSite=Strict` });
}
const portfolio = (email) => {
  const brk = accounts.filter((a) => a.owner === email && a.type === "brokerage");
  const cash = brk.reduce((s, a) => s + cents(a.balance), 0n);
  const hs = [];
  for (const a of brk) for (const [sym, qty] of holdings.get(a.id) ?? []) {
    const mv = cents(PRICE[sym]) * qty;
    hs.push({ symbol: sym, quantity: `${qty}.00000000`, average_cost: PRICE[sym], price: PRICE[sym], market_value: fmt(mv), unrealized_pl: "0.00", unrealized_pl_percent: "0.00", weight: "100.00" });
  }
  const total = cash + hs.reduce((s, h) => s + cents(h.market_value), 0n);
  return { cash: fmt(cash), holdings: hs, total_value: fmt(total), realized_pl: "0.00", day_change: "0.00" };
};

async function api(req, res, url) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
  const key = `${req.method} ${url.pathname.replace(/\/[0-9a-f-]{36}(?=\/|$)/g, "/{id}").replace(/transactions\.csv/, "transactions.csv").replace(/statements\/\d{4}-\d{2}/, "statements/{m}").replace(/history\/[\w-]+/, "history/{s}").replace(/watchlist\/[\w-]+/, "watchlist/{s}")}`;
  const id = url.pathname.match(/[0-9a-f-]{36}/)?.[0];
  if (key === "POST /api/v1/auth/register") {
    if (users.has(body.email)) return problem(res, 409, "email_taken", "An account with this email already exists.");
    if ((body.password ?? "").length < 12) return problem(res, 422, "validation_failed", "Check the highlighted fields.", [{ field: "password", message: "Use at least 12 characters." }]);
    const user = { id: randomUUID(), email: body.email, full_name: body.full_name, role: "customer", totp_enabled: false, email_verified: false, created_at: new Date().toISOString(), password: body.password };
    users.set(body.email, user);
    openAccount(body.email, "checking", "Everyday checking");
    const { password, ...u } = user;
    return send(res, 201, { user: u });
  }
  if (key === "POST /api/v1/auth/login") {
    const u = users.get(body.email);
    if (!u || u.password !== body.password) return problem(res, 401, "invalid_credentials", "The email or password is not right.");
    if (u.totp_enabled) {
      if (!body.totp_code) return problem(res, 401, "totp_required", "Enter the code from your authenticator app.");
      const t = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(u.secret) });
      if (t.validate({ token: body.totp_code, window: 1 }) === null) return problem(res, 401, "invalid_totp", "That code is not valid.");
    }
    return session(body.email, res);
  }
  if (key === "POST /api/v1/auth/refresh") {
    const rt = /bankapp_refresh=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const email = rt && refresh.get(rt);
    if (!email) return problem(res, 401, "unauthorized", "Please sign in.");
    refresh.delete(rt);
    return session(email, res);
  }
  const email = tokens.get((req.headers.authorization ?? "").replace("Bearer ", ""));
  if (!email) return problem(res, 401, "unauthorized", "Please sign in.");
  const me = users.get(email);
  const mine = accounts.filter((a) => a.owner === email);
  const own = (aid) => mine.find((a) => a.id === aid);
  switch (key) {
    case "POST /api/v1/auth/logout":
      return send(res, 204, undefined, { "Set-Cookie": "bankapp_refresh=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" });
    case "GET /api/v1/me": {
      const { password, secret, ...u } = me;
      return send(res, 200, { user: u });
    }
    case "POST /api/v1/me/2fa/setup":
      me.secret = new OTPAuth.Secret().base32;
      return send(res, 200, { secret: me.secret, otpauth_url: new OTPAuth.TOTP({ issuer: "BankApp", label: email, secret: OTPAuth.Secret.fromBase32(me.secret) }).toString() });
    case "POST /api/v1/me/2fa/enable": {
      const t = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(me.secret) });
      if (t.validate({ token: body.code, window: 1 }) === null) return problem(res, 422, "invalid_totp", "That code is not valid.", [{ field: "code", message: "That code is not valid." }]);
      me.totp_enabled = true;
      return send(res, 204);
    }
    case "GET /api/v1/me/sessions":
      return send(res, 200, { items: [{ id: randomUUID(), created_at: new Date().toISOString(), last_used_at: new Date().toISOString(), user_agent: req.headers["user-agent"], ip: "127.0.0.1", current: true }] });
    case "GET /api/v1/accounts":
      return send(res, 200, { items: mine.map(pub) });
    case "POST /api/v1/accounts":
      return send(res, 201, { account: pub(openAccount(email, body.type, body.name)) });
    case "GET /api/v1/accounts/{id}":
      return own(id) ? send(res, 200, { account: pub(own(id)) }) : problem(res, 404, "not_found", "Not found.");
    case "GET /api/v1/accounts/{id}/transactions": {
      const type = url.searchParams.get("type");
      return send(res, 200, { items: entries.filter((e) => e.account_id === id && (!type || e.kind === type)).map(({ account_id, ...e }) => e), next_cursor: null });
    }
    case "GET /api/v1/accounts/{id}/transactions.csv":
      res.writeHead(200, { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="transactions.csv"' });
      return res.end("created_at,kind,amount\n" + entries.filter((e) => e.account_id === id).map((e) => `${e.created_at},${e.kind},${e.amount}`).join("\n") + "\n");
    case "PATCH /api/v1/accounts/{id}":
      own(id).name = body.name;
      return send(res, 200, { account: pub(own(id)) });
    case "DELETE /api/v1/accounts/{id}":
      if (own(id).balance !== "0.00") return problem(res, 409, "balance_not_zero", "Move the money out before closing.");
      own(id).status = "closed";
      return send(res, 200, { account: pub(own(id)) });
    case "GET /api/v1/admin/users":
      if (me.role !== "admin") return problem(res, 403, "forbidden", "Admins only.");
      return send(res, 200, { items: [...users.values()].map(({ password, secret, ...u }) => ({ ...u, account_count: accounts.filter((a) => a.owner === u.email).length })), next_cursor: null });
    case "GET /api/v1/admin/audit":
      return send(res, 200, { items: [{ id: "1", at: new Date().toISOString(), actor_id: me.id, action: "login", target: `user:${me.id}`, ip: "127.0.0.1", request_id: randomUUID(), outcome: "success" }], next_cursor: null });
    case "GET /api/v1/admin/ledger/verify":
      return send(res, 200, { ok: true, accounts_checked: accounts.length, transfers_checked: entries.length, problems: [] });
    case "POST /api/v1/admin/accounts/{id}/freeze":
    case "POST /api/v1/admin/accounts/{id}/unfreeze": {
      const a = accounts.find((x) => x.id === id);
      a.status = key.endsWith("unfreeze") ? "active" : "frozen";
      return send(res, 200, { account: pub(a) });
    }
    case "GET /api/v1/payees":
      return send(res, 200, { items: payees.filter((p) => p.owner === email).map(({ owner, ...p }) => p), next_cursor: null });
    case "POST /api/v1/payees": {
      const p = { owner: email, id: randomUUID(), name: body.name, account_number: body.account_number };
      payees.push(p);
      return send(res, 201, { payee: p });
    }
    case "DELETE /api/v1/payees/{id}":
      payees.splice(payees.findIndex((p) => p.id === id), 1);
      return send(res, 204);
    case "GET /api/v1/scheduled-transfers":
      return send(res, 200, { items: scheduled.filter((p) => p.owner === email).map(({ owner, ...p }) => p), next_cursor: null });
    case "POST /api/v1/scheduled-transfers": {
      const p = { owner: email, id: randomUUID(), ...body, next_run_at: `${body.start_date}T09:00:00Z`, last_run_at: null, last_status: null };
      scheduled.push(p);
      return send(res, 201, { scheduled_transfer: p });
    }
    case "DELETE /api/v1/scheduled-transfers/{id}":
      scheduled.splice(scheduled.findIndex((p) => p.id === id), 1);
      return send(res, 204);
    case "GET /api/v1/watchlist":
      return send(res, 200, { items: [...(watch.get(email) ?? [])].map((symbol) => ({ symbol })) });
    case "PUT /api/v1/watchlist/{s}":
      watch.set(email, (watch.get(email) ?? new Set()).add(url.pathname.split("/").pop()));
      return send(res, 204);
    case "DELETE /api/v1/watchlist/{s}":
      watch.get(email)?.delete(url.pathname.split("/").pop());
      return send(res, 204);
    case "GET /api/v1/accounts/{id}/statements/{m}":
      res.writeHead(200, { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="statement.pdf"' });
      return res.end("%PDF-1.4\n%fake\n");
    case "POST /api/v1/deposits":
      if (!req.headers["idempotency-key"]) return problem(res, 400, "idempotency_key_required", "Idempotency-Key required.");
      post(own(body.account_id), cents(Number(body.amount).toFixed(2)), "deposit", body.description ?? "Deposit");
      return send(res, 201, { transfer: { id: randomUUID(), kind: "deposit", status: "completed", amount: Number(body.amount).toFixed(2), currency: "USD", created_at: new Date().toISOString() } });
    case "POST /api/v1/transfers": {
      const from = own(body.from_account_id);
      const to = accounts.find((a) => a.number === body.to_account_number);
      if (from.status === "frozen") return problem(res, 423, "account_frozen", "This account is frozen and cannot send money.");
      if (!to) return problem(res, 422, "recipient_not_found", "No account has that number.", [{ field: "to_account_number", message: "No account has that number." }]);
      const amt = cents(Number(body.amount).toFixed(2));
      if (cents(from.balance) < amt) return problem(res, 422, "insufficient_funds", `Insufficient funds: the available balance is $${from.balance}.`);
      const tid = randomUUID();
      post(from, -amt, "transfer_out", body.description ?? "", { name: users.get(to.owner).full_name, account_number: to.number }, tid);
      post(to, amt, "transfer_in", body.description ?? "", { name: me.full_name, account_number: from.number }, tid);
      return send(res, 201, { transfer: { id: tid, kind: "transfer", status: "completed", from_account_id: from.id, to_account_id: null, to_account_number: to.number, amount: fmt(amt), currency: "USD", description: "", created_at: new Date().toISOString() } });
    }
    case "GET /api/v1/market/search":
      return send(res, 200, { items: Object.keys(PRICE).filter((s) => s.includes((url.searchParams.get("q") ?? "").toUpperCase())).map((s) => ({ symbol: s, name: s, type: s.includes("-") ? "crypto" : "stock", exchange: "NASDAQ" })) });
    case "GET /api/v1/market/quotes":
      return send(res, 200, { items: url.searchParams.get("symbols").split(",").map((s) => ({ symbol: s, price: PRICE[s], currency: "USD", change: "1.20", change_percent: "0.64", as_of: new Date().toISOString(), source: "simulated", stale: false })) });
    case "GET /api/v1/market/history/{s}":
      return send(res, 200, { symbol: "AAPL", currency: "USD", points: Array.from({ length: 30 }, (_, i) => ({ t: new Date(Date.now() - (30 - i) * 86400000).toISOString(), price: (180 + (i % 7)).toFixed(2) })) });
    case "POST /api/v1/orders": {
      const a = own(body.account_id);
      const qty = BigInt(body.quantity);
      const total = cents(PRICE[body.symbol]) * qty;
      if (cents(a.balance) < total) return problem(res, 422, "insufficient_funds", "Insufficient funds in the brokerage account.");
      post(a, -total, "trade_buy", `Buy ${body.symbol}`);
      const h = holdings.get(a.id) ?? new Map();
      h.set(body.symbol, (h.get(body.symbol) ?? 0n) + qty);
      holdings.set(a.id, h);
      return send(res, 201, { order: { id: randomUUID(), account_id: a.id, symbol: body.symbol, side: "buy", quantity: body.quantity, price: PRICE[body.symbol], total: fmt(total), status: "filled", created_at: new Date().toISOString() } });
    }
    case "GET /api/v1/portfolio":
      return send(res, 200, portfolio(email));
    case "GET /api/v1/portfolio/history":
      return send(res, 200, { points: [{ t: new Date(Date.now() - 86400000).toISOString(), value: "0.00" }, { t: new Date().toISOString(), value: portfolio(email).total_value }] });
    default:
      return problem(res, 404, "not_found", `fake server has no ${key}`);
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  res.setHeader("Content-Security-Policy", CSP);
  if (url.pathname.startsWith("/api/")) return void api(req, res, url).catch((e) => problem(res, 500, "internal", String(e)));
  let file = join(DIST, url.pathname);
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(DIST, "index.html");
  res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
server.listen(Number(process.argv[2] ?? 3099), "127.0.0.1", () => console.log(`fake BankApp on http://127.0.0.1:${server.address().port}`));
