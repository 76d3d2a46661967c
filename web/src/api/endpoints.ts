import type { ApiClient, Endpoint } from "./client";
import type { OperationId, QueryOf, RequestBody as B, ResponseBody as R } from "./types";

/**
 * EP maps each operation the web app calls, by its OpenAPI operationId, to
 * its method and path; openapi.test.ts checks each against the document.
 * Request and response types come from the generated schema by the same id.
 */
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
  lookupRecipient: ["POST", "/api/v1/recipients/lookup"],
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
  adminUser: ["GET", "/api/v1/admin/users/{id}"],
  freeze: ["POST", "/api/v1/admin/accounts/{id}/freeze"],
  unfreeze: ["POST", "/api/v1/admin/accounts/{id}/unfreeze"],
  audit: ["GET", "/api/v1/admin/audit"],
  ledgerVerify: ["GET", "/api/v1/admin/ledger/verify"],
  fxRates: ["GET", "/api/v1/fx/rates"],
  createFXQuote: ["POST", "/api/v1/fx/quotes"],
  createFXExchange: ["POST", "/api/v1/fx/exchanges"],
  overview: ["GET", "/api/v1/overview"],
  getFeatures: ["GET", "/api/v1/features"],
  passwordResetRequest: ["POST", "/api/v1/auth/password-reset"],
  passwordResetConfirm: ["POST", "/api/v1/auth/password-reset/confirm"],
  verifyEmail: ["POST", "/api/v1/auth/verify-email"],
  emailVerificationResend: ["POST", "/api/v1/me/email/verification"],
  recoveryCodesRegenerate: ["POST", "/api/v1/me/2fa/recovery-codes"],
} as const satisfies Partial<Record<OperationId, Endpoint>>;

/** makeApi binds typed functions for every endpoint to a client. */
export function makeApi(c: ApiClient) {
  return {
    register: (b: B<"register">) => c.request<R<"register">>(EP.register, { body: b }),
    login: (b: Omit<B<"login">, "session">) => c.request<R<"login">>(EP.login, { body: { ...b, session: "cookie" } }),
    logout: () => c.request<void>(EP.logout),
    me: () => c.request<R<"me">>(EP.me),
    updateMe: (b: B<"updateMe">) => c.request<R<"updateMe">>(EP.updateMe, { body: b }),
    changePassword: (b: B<"changePassword">) => c.request<void>(EP.changePassword, { body: b }),
    totpSetup: () => c.request<R<"totpSetup">>(EP.totpSetup),
    totpEnable: (code: string) => c.request<void>(EP.totpEnable, { body: { code } satisfies B<"totpEnable"> }),
    totpDisable: (password: string) => c.request<void>(EP.totpDisable, { body: { password } satisfies B<"totpDisable"> }),
    sessions: () => c.request<R<"sessions">>(EP.sessions),
    revokeSession: (id: string) => c.request<void>(EP.revokeSession, { params: { id } }),

    accounts: () => c.request<R<"accounts">>(EP.accounts),
    openAccount: (b: B<"openAccount">) => c.request<R<"openAccount">>(EP.openAccount, { body: b }),
    account: (id: string) => c.request<R<"account">>(EP.account, { params: { id } }),
    renameAccount: (id: string, name: string) =>
      c.request<R<"renameAccount">>(EP.renameAccount, { params: { id }, body: { name } satisfies B<"renameAccount"> }),
    closeAccount: (id: string) => c.request<R<"closeAccount">>(EP.closeAccount, { params: { id } }),
    transactions: (id: string, q: QueryOf<"transactions">) => c.request<R<"transactions">>(EP.transactions, { params: { id }, query: q }),
    transactionsCSV: (id: string, q: QueryOf<"transactionsCSV">) => c.download(EP.transactionsCSV, { params: { id }, query: q }),
    statement: (id: string, month: string, format: NonNullable<QueryOf<"statement">["format"]>) =>
      c.download(EP.statement, { params: { id, month }, query: { format } }),

    deposit: (b: B<"deposit">, key: string) => c.request<R<"deposit">>(EP.deposit, { body: b, idempotencyKey: key }),
    withdraw: (b: B<"withdraw">, key: string) => c.request<R<"withdraw">>(EP.withdraw, { body: b, idempotencyKey: key }),
    transfer: (b: B<"transfer">, key: string) => c.request<R<"transfer">>(EP.transfer, { body: b, idempotencyKey: key }),
    transfers: (q: QueryOf<"transfers"> = {}) => c.request<R<"transfers">>(EP.transfers, { query: q }),
    scheduled: () => c.request<R<"scheduled">>(EP.scheduled),
    createScheduled: (b: B<"createScheduled">) => c.request<R<"createScheduled">>(EP.createScheduled, { body: b }),
    cancelScheduled: (id: string) => c.request<void>(EP.cancelScheduled, { params: { id } }),
    payees: () => c.request<R<"payees">>(EP.payees),
    createPayee: (b: B<"createPayee">) => c.request<R<"createPayee">>(EP.createPayee, { body: b }),
    deletePayee: (id: string) => c.request<void>(EP.deletePayee, { params: { id } }),
    lookupRecipient: (accountNumber: string) =>
      c.request<R<"lookupRecipient">>(EP.lookupRecipient, { body: { account_number: accountNumber } satisfies B<"lookupRecipient"> }),

    search: (q: string) => c.request<R<"search">>(EP.search, { query: { q } }),
    quotes: (symbols: string[]) => c.request<R<"quotes">>(EP.quotes, { query: { symbols: symbols.join(",") } }),
    history: (symbol: string, range: NonNullable<QueryOf<"history">["range"]>) =>
      c.request<R<"history">>(EP.history, { params: { symbol }, query: { range } }),
    placeOrder: (b: B<"placeOrder">, key: string) => c.request<R<"placeOrder">>(EP.placeOrder, { body: b, idempotencyKey: key }),
    orders: (q: QueryOf<"orders"> = {}) => c.request<R<"orders">>(EP.orders, { query: q }),
    portfolio: (accountID?: string) => c.request<R<"portfolio">>(EP.portfolio, { query: { account_id: accountID } }),
    portfolioHistory: (range: NonNullable<QueryOf<"portfolioHistory">["range"]>) =>
      c.request<R<"portfolioHistory">>(EP.portfolioHistory, { query: { range } }),
    watchlist: () => c.request<R<"watchlist">>(EP.watchlist),
    watch: (symbol: string) => c.request<unknown>(EP.watch, { params: { symbol } }),
    unwatch: (symbol: string) => c.request<void>(EP.unwatch, { params: { symbol } }),

    adminUsers: (q: QueryOf<"adminUsers">) => c.request<R<"adminUsers">>(EP.adminUsers, { query: q }),
    adminUser: (id: string) => c.request<R<"adminUser">>(EP.adminUser, { params: { id } }),
    freeze: (id: string) => c.request<R<"freeze">>(EP.freeze, { params: { id } }),
    unfreeze: (id: string) => c.request<R<"unfreeze">>(EP.unfreeze, { params: { id } }),
    audit: (q: QueryOf<"audit">) => c.request<R<"audit">>(EP.audit, { query: q }),
    ledgerVerify: () => c.request<R<"ledgerVerify">>(EP.ledgerVerify),

    fxRates: () => c.request<R<"fxRates">>(EP.fxRates),
    createFXQuote: (b: B<"createFXQuote">) => c.request<R<"createFXQuote">>(EP.createFXQuote, { body: b }),
    createFXExchange: (quoteID: string, key: string) =>
      c.request<R<"createFXExchange">>(EP.createFXExchange, { body: { quote_id: quoteID } satisfies B<"createFXExchange">, idempotencyKey: key }),
    overview: () => c.request<R<"overview">>(EP.overview),
    features: () => c.request<R<"getFeatures">>(EP.getFeatures),

    passwordResetRequest: (email: string) =>
      c.request<R<"passwordResetRequest">>(EP.passwordResetRequest, { body: { email } satisfies B<"passwordResetRequest"> }),
    passwordResetConfirm: (b: B<"passwordResetConfirm">) => c.request<void>(EP.passwordResetConfirm, { body: b }),
    verifyEmail: (token: string) => c.request<void>(EP.verifyEmail, { body: { token } satisfies B<"verifyEmail"> }),
    resendVerification: () => c.request<R<"emailVerificationResend">>(EP.emailVerificationResend),
    recoveryCodes: (password: string) =>
      c.request<R<"recoveryCodesRegenerate">>(EP.recoveryCodesRegenerate, { body: { password } satisfies B<"recoveryCodesRegenerate"> }),
  };
}

/** Api is the bound, typed API surface used by pages. */
export type Api = ReturnType<typeof makeApi>;
