// Types of the BankApp HTTP API, generated from the server's OpenAPI document
// (internal/api/openapi.json, served at /api/openapi.json) into schema.d.ts by
// `npm run api:types`. Nothing here is written by hand: a contract change
// regenerates schema.d.ts (web-test.sh fails while it is stale) and then
// breaks the type check wherever the app relies on what changed.
import type { components, operations } from "./schema";

type S = components["schemas"];

export type User = S["User"];
export type AdminUser = S["AdminUser"];
export type AdminUserDetail = S["AdminUserDetail"];
export type LoginResponse = S["TokenResponse"];
export type Session = S["Session"];
export type TOTPSetup = S["TOTPSetup"];
export type Account = S["Account"];
export type AccountType = Account["type"];
export type AccountStatus = Account["status"];
export type Entry = S["Entry"];
export type EntryKind = Entry["kind"];
export type Transfer = S["Transfer"];
export type ScheduledTransfer = S["ScheduledTransfer"];
export type Frequency = ScheduledTransfer["frequency"];
export type Payee = S["Payee"];
export type Recipient = S["Recipient"];
export type Instrument = S["Instrument"];
export type Quote = S["Quote"];
export type PriceHistory = S["PriceHistory"];
export type Order = S["Order"];
export type Holding = S["Holding"];
export type Portfolio = S["Portfolio"];
export type PortfolioHistory = S["PortfolioHistory"];
export type WatchItem = S["WatchItem"];
export type AuditEvent = S["AuditEvent"];
export type LedgerCheck = S["LedgerReport"];
export type LedgerProblem = S["LedgerProblem"];
export type Problem = S["Problem"];
export type FXQuote = S["FXQuote"];
export type FXExchange = S["FXExchange"];
export type Overview = S["Overview"];
export type OrderFX = S["OrderFX"];
export type HistoryRange = NonNullable<NonNullable<operations["history"]["parameters"]["query"]>["range"]>;

/** Page is a list answer: items and an opaque cursor for the next page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** OperationId names an operation of the OpenAPI document. */
export type OperationId = keyof operations;

type JSONOf<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** RequestBody is the JSON body an operation takes. */
export type RequestBody<O extends OperationId> = NonNullable<operations[O]["requestBody"]> extends {
  content: { "application/json": infer B };
}
  ? B
  : never;

/** ResponseBody is the JSON an operation answers with on success (200 or 201; undefined for 204). */
export type ResponseBody<O extends OperationId> = operations[O]["responses"] extends infer R
  ? R extends { 200: infer A }
    ? JSONOf<A>
    : R extends { 201: infer A }
      ? JSONOf<A>
      : undefined
  : never;

/** QueryOf is an operation's query parameters. */
export type QueryOf<O extends OperationId> = NonNullable<operations[O]["parameters"]["query"]>;
