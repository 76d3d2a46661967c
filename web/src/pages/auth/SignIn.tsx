import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ApiError } from "../../api/client";
import { signedInUser, useAuth } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, fieldError } from "../../components/Feedback";
import { AuthFrame } from "./AuthFrame";

/** SignIn asks for email and password, then for a 2FA code when the server answers totp_required. */
export function SignIn() {
  const { api, client, signedIn, notice, setNotice } = useAuth();
  const navigate = useNavigate();
  const loc = useLocation();
  const from = (loc.state as { from?: string } | null)?.from ?? "/";
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needCode, setNeedCode] = useState(false);
  // useRecovery takes one of the recovery codes in place of the authenticator's code.
  const [useRecovery, setUseRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (needCode) codeRef.current?.focus();
  }, [needCode, useRecovery]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    // "You have signed out" (or "Your session has ended") was about the last
    // session; once the customer acts, it no longer applies.
    setNotice(null);
    setBusy(true);
    setError(null);
    try {
      const second = !needCode ? {} : useRecovery ? { recovery_code: code.trim() } : { totp_code: code.trim() };
      const res = await api.login({ email, password, ...second });
      signedIn(res.user ?? (await signedInUser(client, api, res.access_token)), res.access_token);
      navigate(from, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === "totp_required") {
        setNeedCode(true);
      } else if (err instanceof ApiError && err.code === "invalid_totp" && useRecovery) {
        setError(new ApiError(401, { code: "invalid_totp", detail: "That recovery code is not right or has already been used. Each code works once; try another." }));
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthFrame title={needCode ? (useRecovery ? "Enter a recovery code" : "Enter your 2FA code") : "Sign in"}>
      {notice && (
        <p className="note note-info" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {!needCode ? (
          <>
            <Field
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={fieldError(error, "email")}
            />
            <Field
              label="Password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fieldError(error, "password")}
            />
          </>
        ) : useRecovery ? (
          <Field
            ref={codeRef}
            key="recovery"
            label="Recovery code"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            hint="One of the codes you saved when you turned on 2FA, like 7k3m-q9xa-2bdf-h4rt. Each code works once."
            error={fieldError(error, "recovery_code")}
          />
        ) : (
          <Field
            ref={codeRef}
            key="totp"
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={8}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            hint="Open your authenticator app and type the 6-digit code for BankApp."
            error={fieldError(error, "totp_code")}
          />
        )}
        <ErrorNote error={error} fieldsShown={["email", "password", "totp_code", "recovery_code"]} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? "Signing in…" : needCode ? "Verify and sign in" : "Sign in"}
        </button>
        {!needCode && (
          <p className="auth-forgot">
            <Link to="/forgot-password">Forgot password?</Link>
          </p>
        )}
        {needCode && (
          <button
            type="button"
            className="btn btn-ghost btn-block"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setCode("");
              setError(null);
            }}
          >
            {useRecovery ? "Use your authenticator app instead" : "Use a recovery code instead"}
          </button>
        )}
        {needCode && (
          <button
            type="button"
            className="btn btn-ghost btn-block"
            onClick={() => {
              setNeedCode(false);
              setUseRecovery(false);
              setCode("");
              setError(null);
            }}
          >
            Use a different account
          </button>
        )}
      </form>
      <p className="auth-switch">
        New to BankApp? <Link to="/signup">Open an account</Link>
      </p>
    </AuthFrame>
  );
}
