// Types of the BankApp HTTP API v1 (shared/design/API.md; checked against
// internal/api/openapi.json by openapi.test.ts). Money is always a decimal string.

export type Role = "customer" | "admin";

export interface User {
  id: string;
  email: string;
  full_name: string;
  role: Role;
  totp_enabled: boolean;
  /** A link sent to the address was opened (API.md v1.1). */
  email_verified: boolean;
  created_at: string;
}

export interface AdminUser extends User {
  account_count: number;
}

export interface LoginResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  user: User;
}

export interface RefreshResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  user?: User;
}

export interface Session {
  id: string;
  created_at: string;
  last_used_at: string;
  user_agent: string;
  ip: string;
  current: boolean;
}

export interface TOTPSetup {
  secret: string;
  otpauth_url: string;
}

export type AccountType = "checking" | "savings" | "brokerage";
export type AccountStatus = "active" | "frozen" | "closed";

export interface Account {
  id: string;
  number: string;
  type: AccountType;
  currency: string;
  name: string;
  balance: string;
  available_balance: string;
  status: AccountStatus;
  created_at: string;
}

export type EntryKind =
  | "deposit"
  | "withdrawal"
  | "transfer_in"
  | "transfer_out"
  | "trade_buy"
  | "trade_sell"
  | "fee"
  | "interest";

export interface Entry {
  id: string;
  transfer_id: string;
  kind: EntryKind;
  amount: string;
  currency: string;
  balance_after: string;
  description: string;
  counterparty: { name: string; account_number: string } | null;
  created_at: string;
}

export interface Transfer {
  id: string;
  kind: "deposit" | "withdrawal" | "transfer" | "trade";
  status: "completed";
  from_account_id: string | null;
  to_account_id: string | null;
  to_account_number: string | null;
  amount: string;
  currency: string;
  description: string;
  created_at: string;
}

export type Frequency = "once" | "weekly" | "monthly";

export interface ScheduledTransfer {
  id: string;
  from_account_id: string;
  to_account_number: string;
  amount: string;
  currency: string;
  description: string;
  frequency: Frequency;
  start_date: string;
  end_date?: string | null;
  next_run_at: string | null;
  last_run_at: string | null;
  last_status: string | null;
  status: "active" | "completed" | "cancelled";
  created_at: string;
}

export interface Payee {
  id: string;
  name: string;
  account_number: string;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Instrument {
  symbol: string;
  name: string;
  type: "stock" | "crypto";
  exchange: string;
}

export interface Quote {
  symbol: string;
  price: string;
  currency: string;
  change: string;
  change_percent: string;
  as_of: string;
  source: string;
  stale: boolean;
}

export type HistoryRange = "1d" | "5d" | "1mo" | "6mo" | "1y" | "5y";

export interface PriceHistory {
  symbol: string;
  currency: string;
  points: { t: string; price: string }[];
}

export interface Order {
  id: string;
  account_id: string;
  symbol: string;
  side: "buy" | "sell";
  quantity: string;
  price: string;
  total: string;
  currency: string;
  status: "filled";
  created_at: string;
}

export interface Holding {
  symbol: string;
  quantity: string;
  average_cost: string;
  price: string;
  market_value: string;
  unrealized_pl: string;
  unrealized_pl_percent: string;
  weight: string;
}

export interface Portfolio {
  cash: string;
  holdings: Holding[];
  total_value: string;
  realized_pl: string;
  day_change: string;
  currency: string;
}

export interface PortfolioHistory {
  points: { t: string; value: string }[];
}

export interface WatchItem {
  symbol: string;
  added_at: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor_id: string | null;
  action: string;
  target: string;
  ip: string;
  request_id: string;
  outcome: string;
}

export interface LedgerCheck {
  ok: boolean;
  accounts_checked: number;
  transfers_checked: number;
  problems: LedgerProblem[];
}

export interface LedgerProblem {
  kind: string;
  ref: string;
  detail: string;
}

/** Problem is an RFC 9457 problem document as the API returns it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}
