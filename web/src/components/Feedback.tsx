import type { ReactNode } from "react";
import { ApiError } from "../api/client";
import { CircleCheck, CircleExclamationPoint, type LucideIcon } from "./icons";

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
    <p className="note note-error" role="alert">
      <CircleExclamationPoint aria-hidden="true" className="note-icon" />
      <span>{onlyFields ? "Please correct the highlighted fields." : errorText(error)}</span>
    </p>
  );
}

/** SuccessNote announces a completed action politely. */
export function SuccessNote({ children }: { children: ReactNode }) {
  return (
    <p className="note note-success" role="status">
      <CircleCheck aria-hidden="true" className="note-icon" />
      <span>{children}</span>
    </p>
  );
}

/** Skeleton is a shimmering placeholder in the shape of what is loading; the label is for screen readers. */
export function Skeleton({ label = "Loading…", lines = 3, variant = "lines" }: { label?: string; lines?: number; variant?: "lines" | "cards" | "page" }) {
  return (
    <div className={`skeleton skeleton-${variant}`} role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {variant === "page" && (
        <>
          <span className="sk sk-title" aria-hidden="true" />
          <span className="sk sk-hero" aria-hidden="true" />
          <span className="sk-row" aria-hidden="true">
            <span className="sk sk-card" />
            <span className="sk sk-card" />
            <span className="sk sk-card" />
          </span>
          <span className="sk sk-block" aria-hidden="true" />
        </>
      )}
      {variant === "cards" && (
        <span className="sk-row" aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <span key={i} className="sk sk-card" />
          ))}
        </span>
      )}
      {variant === "lines" &&
        Array.from({ length: lines }, (_, i) => <span key={i} className="sk sk-line" aria-hidden="true" />)}
    </div>
  );
}

/** Loading is kept for small inline waits; prefer Skeleton for content. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return <Skeleton label={label} lines={2} />;
}

/** EmptyState says what is missing and what to do next. */
export function EmptyState({ icon: Icon, title, children, action }: { icon: LucideIcon; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <span className="empty-icon" aria-hidden="true">
        <Icon />
      </span>
      <p className="empty-title">{title}</p>
      {children && <p className="empty-body">{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}
