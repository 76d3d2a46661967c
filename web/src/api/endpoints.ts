import type { ApiClient, Endpoint } from "./client";
import type * as T from "./types";

/** EP lists every operation the web app calls; openapi.test.ts checks each against the OpenAPI document. */
export const EP = {
  register: ["POST", "/api/v1/auth/register"],
  login: ["POST", "/api/v1/auth/login"],
  refresh: ["POST", "/api/v1/auth/refresh"],
  logout: ["POST", "/api/v1/auth/logout"],
  me: ["GET", "/api/v1/me"],
  updateMe: ["PATCH", "/api/v1/me"],
  changePassword: ["POST", "/api/v1/me/password"],
  totpSetup: ["POST", "/api/v1/me/2fa/setup"],
  totpEnable: ["POST", "/api/v1/me/2fa/enable"],
  totpDisable: ["POST", "/api/v1/me/2fa/disable"],
  sessions: ["GET", "/api/v1/me/sessions"],
  revokeSession: ["DELETE", "/api/v1/me/sessions/{id}"],
  accounts: ["GET", "/api/v1/accounts"],
  openAccount: ["POST", "/api/v1/accounts"],
  account: ["GET", "/api/v1/accounts/{id}"],
  renameAccount: ["PATCH", "/api/v1/accounts/{id}"],
  closeAccount: ["DELETE", "/api/v1/accounts/{id}"],
  transactions: ["GET", "/api/v1/accounts/{id}/transactions"],
  transactionsCSV: ["GET", "/api/v1/accounts/{id}/transactions.csv"],
  statement: ["GET", "/api/v1/accounts/{id}/statements/{month}"],
  deposit: ["POST", "/api/v1/deposits"],
  withdraw: ["POST", "/api/v1/withdrawals"],
  transfer: ["POST", "/api/v1/transfers"],
  transfers: ["GET", "/api/v1/transfers"],
  transferByID: ["GET", "/api/v1/transfers/{id}"],
  scheduled: ["GET", "/api/v1/scheduled-transfers"],
  createScheduled: ["POST", "/api/v1/scheduled-transfers"],
  cancelScheduled: ["DELETE", "/api/v1/scheduled-transfers/{id}"],
  payees: ["GET", "/api/v1/payees"],
  createPayee: ["POST", "/api/v1/payees"],
  deletePayee: ["DELETE", "/api/v1/payees/{id}"],
  search: ["GET", "/api/v1/market/search"],
  quotes: ["GET", "/api/v1/market/quotes"],
  history: ["GET", "/api/v1/market/history/{symbol}"],
  placeOrder: ["POST", "/api/v1/orders"],
  orders: ["GET", "/api/v1/orders"],
  portfolio: ["GET", "/api/v1/portfolio"],
  portfolioHistory: ["GET", "/api/v1/portfolio/history"],
  watchlist: ["GET", "/api/v1/watchlist"],
  watch: ["PUT", "/api/v1/watchlist/{symbol}"],
  unwatch: ["DELETE", "/api/v1/watchlist/{symbol}"],
  adminUsers: ["GET", "/api/v1/admin/users"],
  freeze: ["POST", "/api/v1/admin/accounts/{id}/freeze"],
  unfreeze: ["POST", "/api/v1/admin/accounts/{id}/unfreeze"],
  audit: ["GET", "/api/v1/admin/audit"],
  ledgerVerify: ["GET", "/api/v1/admin/ledger/verify"],
} as const satisfies Record<string, Endpoint>;

type Q = Record<string, string | number | undefined | null>;

/** makeApi binds typed functions for every endpoint to a client. */
export function makeApi(c: ApiClient) {
  return {
    register: (b: { email: string; password: string; full_name: string }) =>
      c.request<{ user: T.User }>(EP.register, { body: b }),
    login: (b: { email: string; password: string; totp_code?: string }) =>
      c.request<T.LoginResponse>(EP.login, { body: { ...b, session: "cookie" } }),
    logout: () => c.request<void>(EP.logout),
    me: () => c.request<{ user: T.User }>(EP.me),
    updateMe: (b: { full_name: string }) => c.request<{ user: T.User }>(EP.updateMe, { body: b }),
    changePassword: (b: { current_password: string; new_password: string }) =>
      c.request<void>(EP.changePassword, { body: b }),
    totpSetup: () => c.request<T.TOTPSetup>(EP.totpSetup),
    totpEnable: (code: string) => c.request<void>(EP.totpEnable, { body: { code } }),
    totpDisable: (password: string) => c.request<void>(EP.totpDisable, { body: { password } }),
    sessions: () => c.request<{ items: T.Session[] }>(EP.sessions),
    revokeSession: (id: string) => c.request<void>(EP.revokeSession, { params: { id } }),

    accounts: () => c.request<{ items: T.Account[] }>(EP.accounts),
    openAccount: (b: { type: T.AccountType; currency?: string; name?: string }) =>
      c.request<{ account: T.Account }>(EP.openAccount, { body: b }),
    account: (id: string) => c.request<{ account: T.Account }>(EP.account, { params: { id } }),
    renameAccount: (id: string, name: string) =>
      c.request<{ account: T.Account }>(EP.renameAccount, { params: { id }, body: { name } }),
    closeAccount: (id: string) => c.request<{ account: T.Account }>(EP.closeAccount, { params: { id } }),
    transactions: (id: string, q: Q) => c.request<T.Page<T.Entry>>(EP.transactions, { params: { id }, query: q }),
    transactionsCSV: (id: string, q: Q) => c.download(EP.transactionsCSV, { params: { id }, query: q }),
    statement: (id: string, month: string, format: "pdf" | "csv") =>
      c.download(EP.statement, { params: { id, month }, query: { format } }),

    deposit: (b: { account_id: string; amount: string; description?: string }, key: string) =>
      c.request<{ transfer: T.Transfer }>(EP.deposit, { body: b, idempotencyKey: key }),
    withdraw: (b: { account_id: string; amount: string; description?: string }, key: string) =>
      c.request<{ transfer: T.Transfer }>(EP.withdraw, { body: b, idempotencyKey: key }),
    transfer: (
      b: { from_account_id: string; to_account_number: string; amount: string; description?: string },
      key: string,
    ) => c.request<{ transfer: T.Transfer }>(EP.transfer, { body: b, idempotencyKey: key }),
    transfers: (q: Q = {}) => c.request<T.Page<T.Transfer>>(EP.transfers, { query: q }),
    scheduled: () => c.request<T.Page<T.ScheduledTransfer>>(EP.scheduled),
    createScheduled: (b: {
      from_account_id: string;
      to_account_number: string;
      amount: string;
      description?: string;
      frequency: T.Frequency;
      start_date: string;
      end_date?: string;
    }) => c.request<{ scheduled_transfer: T.ScheduledTransfer }>(EP.createScheduled, { body: b }),
    cancelScheduled: (id: string) => c.request<void>(EP.cancelScheduled, { params: { id } }),
    payees: () => c.request<T.Page<T.Payee>>(EP.payees),
    createPayee: (b: { name: string; account_number: string }) =>
      c.request<{ payee: T.Payee }>(EP.createPayee, { body: b }),
    deletePayee: (id: string) => c.request<void>(EP.deletePayee, { params: { id } }),

    search: (q: string) => c.request<{ items: T.Instrument[] }>(EP.search, { query: { q } }),
    quotes: (symbols: string[]) => c.request<{ items: T.Quote[] }>(EP.quotes, { query: { symbols: symbols.join(",") } }),
    history: (symbol: string, range: T.HistoryRange) =>
      c.request<T.PriceHistory>(EP.history, { params: { symbol }, query: { range } }),
    placeOrder: (
      b: { account_id: string; symbol: string; side: "buy" | "sell"; quantity?: string; notional?: string },
      key: string,
    ) => c.request<{ order: T.Order }>(EP.placeOrder, { body: b, idempotencyKey: key }),
    orders: (q: Q = {}) => c.request<T.Page<T.Order>>(EP.orders, { query: q }),
    portfolio: (accountID?: string) => c.request<T.Portfolio>(EP.portfolio, { query: { account_id: accountID } }),
    portfolioHistory: (range: T.HistoryRange) => c.request<T.PortfolioHistory>(EP.portfolioHistory, { query: { range } }),
    watchlist: () => c.request<{ items: T.WatchItem[] }>(EP.watchlist),
    watch: (symbol: string) => c.request<unknown>(EP.watch, { params: { symbol } }),
    unwatch: (symbol: string) => c.request<void>(EP.unwatch, { params: { symbol } }),

    adminUsers: (q: Q) => c.request<T.Page<T.AdminUser>>(EP.adminUsers, { query: q }),
    freeze: (id: string) => c.request<{ account: T.Account }>(EP.freeze, { params: { id } }),
    unfreeze: (id: string) => c.request<{ account: T.Account }>(EP.unfreeze, { params: { id } }),
    audit: (q: Q) => c.request<T.Page<T.AuditEvent>>(EP.audit, { query: q }),
    ledgerVerify: () => c.request<T.LedgerCheck>(EP.ledgerVerify),
  };
}

/** Api is the bound, typed API surface used by pages. */
export type Api = ReturnType<typeof makeApi>;
