import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import { useAuth } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, SuccessNote, fieldError } from "../../components/Feedback";
import { AuthFrame } from "./AuthFrame";

/** RESET_SENT is the one answer to a reset request, whether or not the address has an account (no enumeration). */
export const RESET_SENT =
  "If there is a BankApp account for that address, we've emailed it a link to choose a new password. The link works for 30 minutes. Check your spam folder if it doesn't arrive.";

/** ForgotPassword asks for an email and always answers the same way. */
export function ForgotPassword() {
  const { api } = useAuth();
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    if (!email.trim()) {
      setError(new ApiError(422, { code: "validation_failed", detail: "Enter your email address.", errors: [{ field: "email", message: "Enter your email address." }] }));
      return;
    }
    setBusy(true);
    try {
      await api.passwordResetRequest(email.trim());
      setSent(true);
    } catch (err) {
      // Only a malformed address or too many requests can fail; neither says whether an account exists.
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Reset your password" subtitle="We'll email you a link to choose a new one.">
      {sent ? (
        <>
          <SuccessNote>{RESET_SENT}</SuccessNote>
          <p className="auth-switch">
            <Link to="/signin">Back to sign in</Link>
          </p>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} />
          <ErrorNote error={error} fieldsShown={["email"]} />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Sending…" : "Email me a reset link"}
          </button>
          <p className="auth-switch">
            Remembered it? <Link to="/signin">Sign in</Link>
          </p>
        </form>
      )}
    </AuthFrame>
  );
}

/** invalidLink says what a spent, expired or mistyped link means. */
const INVALID_RESET = "This reset link has expired or has already been used. Ask for a new one below.";

/** ResetPassword is the page the reset email links to: /reset-password?token=…. */
export function ResetPassword() {
  const { api, setNotice, status, signOut } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const invalid = !token || (error instanceof ApiError && error.code === "invalid_token");

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const m = next !== confirm ? "The two passwords do not match." : null;
    setMismatch(m);
    if (m) return;
    setBusy(true);
    setError(null);
    try {
      await api.passwordResetConfirm({ token, new_password: next });
      // Every session was revoked, this one included.
      if (status === "signed-in") await signOut();
      setNotice("Your password has been changed and you've been signed out everywhere. Sign in with your new password.");
      navigate("/signin", { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Choose a new password">
      {invalid ? (
        <>
          <p className="note note-error" role="alert">
            {token ? INVALID_RESET : "This page needs the link from your reset email. Ask for a new one below."}
          </p>
          <Link className="btn btn-primary btn-block" to="/forgot-password">
            Send a new link
          </Link>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
            hint="At least 12 characters. A few unrelated words make a strong one."
            error={fieldError(error, "new_password")}
          />
          <Field label="Confirm new password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} error={mismatch} />
          <ErrorNote error={error} fieldsShown={["new_password"]} />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Saving…" : "Set new password"}
          </button>
        </form>
      )}
    </AuthFrame>
  );
}

/** VerifyEmail is the page the verification email links to: /verify-email?token=…. */
export function VerifyEmail() {
  const { api, user, setUser, status } = useAuth();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [state, setState] = useState<"working" | "done" | "invalid" | "error">(token ? "working" : "invalid");
  const [error, setError] = useState<unknown>(null);
  const sent = useRef(false);

  useEffect(() => {
    // Once: a token is single use, and React may run effects twice in development.
    if (!token || sent.current) return;
    sent.current = true;
    api.verifyEmail(token).then(
      () => setState("done"),
      (err: unknown) => {
        setError(err);
        setState(err instanceof ApiError && err.code === "invalid_token" ? "invalid" : "error");
      },
    );
  }, [api, token]);

  useEffect(() => {
    if (state === "done" && user && !user.email_verified) setUser({ ...user, email_verified: true });
  }, [state, user, setUser]);

  const home = status === "signed-in" ? "/" : "/signin";
  return (
    <AuthFrame title="Confirm your email">
      {state === "working" && (
        <p role="status" className="note note-info">
          Confirming your email address…
        </p>
      )}
      {state === "done" && <SuccessNote>Thanks, your email address is confirmed.</SuccessNote>}
      {state === "invalid" && (
        <p className="note note-error" role="alert">
          This confirmation link has expired or has already been used. Sign in and choose “Resend email” to get a new one.
        </p>
      )}
      {state === "error" && <ErrorNote error={error} />}
      {state !== "working" && (
        <p className="auth-switch">
          <Link to={home}>{status === "signed-in" ? "Go to your dashboard" : "Go to sign in"}</Link>
        </p>
      )}
    </AuthFrame>
  );
}
