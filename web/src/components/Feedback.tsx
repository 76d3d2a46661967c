import type { ReactNode } from "react";
import { ApiError } from "../api/client";

/** sentence capitalizes a server message and ends it with a full stop: "too low" → "Too low." */
export function sentence(msg: string): string {
  const t = msg.trim();
  if (!t) return t;
  const s = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** errorText turns any thrown value into a message safe to show. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return sentence(err.detail);
  return "Something went wrong. Please try again.";
}

/** fieldError returns the API's message for one field of a failed request. */
export function fieldError(err: unknown, field: string): string | undefined {
  const m = err instanceof ApiError ? err.fields[field] : undefined;
  return m === undefined ? undefined : sentence(m);
}

/** ErrorNote shows an action's error; role=alert makes screen readers announce it. */
export function ErrorNote({ error, fieldsShown = [] }: { error: unknown; fieldsShown?: string[] }) {
  if (!error) return null;
  // When every field error is already shown beside its input, keep the summary short.
  const onlyFields =
    error instanceof ApiError &&
    Object.keys(error.fields).length > 0 &&
    Object.keys(error.fields).every((f) => fieldsShown.includes(f));
  return (
    <p className="error-note" role="alert">
      {onlyFields ? "Please correct the highlighted fields." : errorText(error)}
    </p>
  );
}

/** SuccessNote announces a completed action politely. */
export function SuccessNote({ children }: { children: ReactNode }) {
  return (
    <p className="success-note" role="status">
      {children}
    </p>
  );
}

/** Loading is a polite, labelled placeholder while data loads. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}
