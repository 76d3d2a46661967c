import type { Problem as FullProblem, ResponseBody } from "./types";

/** Problem is a problem document as received: any field may be missing. */
type Problem = Partial<FullProblem>;

type RefreshResponse = ResponseBody<"refresh">;

/** HTTPMethod is the set of methods the API uses. */
export type HTTPMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Endpoint is one operation of the API: a method and a path template like /api/v1/accounts/{id}. */
export type Endpoint = readonly [HTTPMethod, string];

/** ApiError carries a problem document; detail is safe to show to the customer. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** fields maps a request field name to its validation message. */
  readonly fields: Record<string, string>;
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem, retryAfter: number | null = null) {
    const detail = problem.detail || problem.title || defaultDetail(status);
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = problem.code ?? (status === 0 ? "network_error" : "error");
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.fields = {};
    for (const e of problem.errors ?? []) {
      if (e && typeof e.field === "string") this.fields[e.field] = e.message;
    }
  }
}

function defaultDetail(status: number): string {
  if (status === 0) return "Could not reach BankApp. Check your connection and try again.";
  if (status === 429) return "Too many requests. Please wait a moment and try again.";
  if (status >= 500) return "Something went wrong on our side. Please try again.";
  return "The request could not be completed.";
}

/** RequestOptions are the per-call inputs of ApiClient.request. */
export interface RequestOptions {
  params?: Record<string, string>;
  query?: object;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** ClientOptions configure an ApiClient. */
export interface ClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** onSessionExpired is called once when a 401 cannot be cured by a refresh. */
  onSessionExpired?: (reason: SessionEndReason) => void;
  /**
   * idleTimeoutMs is how long without user activity (noteActivity) the
   * client still refreshes a session silently; default IDLE_TIMEOUT_MS.
   */
  idleTimeoutMs?: number;
  /** now is the clock (tests). */
  now?: () => number;
}

/** SessionEndReason says why the session ended: refused by the server, or idle here. */
export type SessionEndReason = "ended" | "idle";

/**
 * IDLE_TIMEOUT_MS mirrors the server's SESSION_IDLE_TIMEOUT default (30
 * minutes). After that long without user activity a 401 ends the session
 * instead of refreshing it: background polling (e.g. the watchlist's
 * refetchInterval) must not keep an unattended session alive.
 */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;

// Calls that must never trigger a silent refresh: they are the refresh machinery.
const NO_REFRESH = new Set(["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/refresh"]);

/** expandPath fills {name} placeholders with URL-encoded params. */
export function expandPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(v);
  });
}

function buildQuery(query: RequestOptions["query"]): string {
  if (!query) return "";
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/**
 * ApiClient speaks the BankApp API. The access token lives only in this
 * object's memory; the refresh token is an HttpOnly cookie the page never sees.
 * A 401 triggers one silent refresh (shared by concurrent callers), then a retry.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;
  private lastActivity: number;
  onSessionExpired: ((reason: SessionEndReason) => void) | undefined;

  constructor(opts: ClientOptions = {}) {
    this.baseUrl = opts.baseUrl ?? "";
    this.fetchFn = opts.fetch ?? ((...args) => globalThis.fetch(...args));
    this.onSessionExpired = opts.onSessionExpired;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
    // Loading the page is the user's doing.
    this.lastActivity = this.now();
  }

  /** noteActivity records that the user did something (a key, a tap, a click, a scroll). */
  noteActivity(): void {
    this.lastActivity = this.now();
  }

  /** idle reports whether the user has done nothing for the idle timeout. */
  idle(): boolean {
    return this.now() - this.lastActivity >= this.idleTimeoutMs;
  }

  setAccessToken(token: string | null): void {
    this.accessToken = token;
  }

  hasAccessToken(): boolean {
    return this.accessToken !== null;
  }

  /** refresh exchanges the refresh cookie for a new access token; false when the session is gone. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + "/api/v1/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch {
      return false;
    }
    if (!res.ok) {
      this.accessToken = null;
      return false;
    }
    const data = (await res.json()) as RefreshResponse;
    this.accessToken = data.access_token;
    return true;
  }

  /** request performs one API call and decodes its JSON answer (undefined for 204). */
  async request<T>(ep: Endpoint, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(ep, opts);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** download fetches a file answer (CSV, PDF) with auth and returns it with its file name. */
  async download(ep: Endpoint, opts: RequestOptions = {}): Promise<{ blob: Blob; filename: string | null }> {
    const res = await this.send(ep, opts);
    const cd = res.headers.get("Content-Disposition") ?? "";
    const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
    return { blob: await res.blob(), filename: m?.[1] ? decodeURIComponent(m[1]) : null };
  }

  private async send(ep: Endpoint, opts: RequestOptions, retried = false): Promise<Response> {
    const [method, template] = ep;
    const url = this.baseUrl + expandPath(template, opts.params) + buildQuery(opts.query);
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json, */*" };
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.body);
    }
    let res: Response;
    try {
      res = await this.fetchFn(url, { method, headers, body, credentials: "same-origin", signal: opts.signal });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw new ApiError(0, {});
    }
    if (res.status === 401 && !NO_REFRESH.has(template)) {
      // An idle user's session is not refreshed, whatever asked (polling).
      const idle = this.idle();
      if (!retried && !idle && (await this.refresh())) return this.send(ep, opts, true);
      this.accessToken = null;
      this.onSessionExpired?.(idle ? "idle" : "ended");
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    const text = await res.text();
    if (text) problem = JSON.parse(text) as Problem;
  } catch {
    problem = {};
  }
  const ra = res.headers.get("Retry-After");
  const retryAfter = ra && /^\d+$/.test(ra) ? Number(ra) : null;
  return new ApiError(res.status, problem, retryAfter);
}
