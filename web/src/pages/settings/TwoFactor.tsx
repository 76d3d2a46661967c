import { useMutation } from "@tanstack/react-query";
import qrcode from "qrcode-generator";
import { type FormEvent, useMemo, useState } from "react";
import type { TOTPSetup } from "../../api/types";
import { useAuth } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, SuccessNote, fieldError } from "../../components/Feedback";
import { RecoveryCodeList } from "../../components/RecoveryCodes";

/** qrDataURL renders text as a QR code image (a data: URL, allowed by the CSP's img-src). */
export function qrDataURL(text: string): string {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  return qr.createDataURL(5, 8);
}

/** TwoFactor sets up, enables and disables TOTP two-factor authentication. */
export function TwoFactor() {
  const { api, user, setUser } = useAuth();
  const [setup, setSetup] = useState<TOTPSetup | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [codesPassword, setCodesPassword] = useState("");
  // codes are shown once, right after they are made; justEnabled asks for them after 2FA is turned on.
  const [codes, setCodes] = useState<string[] | null>(null);
  const [justEnabled, setJustEnabled] = useState(false);
  const makeCodes = useMutation({
    mutationFn: () => api.recoveryCodes(codesPassword),
    onSuccess: (res) => {
      setCodesPassword("");
      setJustEnabled(false);
      setCodes(res.codes);
    },
  });
  const start = useMutation({ mutationFn: api.totpSetup, onSuccess: setSetup });
  const enable = useMutation({
    mutationFn: () => api.totpEnable(code.trim()),
    onSuccess: () => {
      setSetup(null);
      setCode("");
      setJustEnabled(true);
      if (user) setUser({ ...user, totp_enabled: true });
    },
  });
  const disable = useMutation({
    mutationFn: () => api.totpDisable(password),
    onSuccess: () => {
      setPassword("");
      if (user) setUser({ ...user, totp_enabled: false });
    },
  });
  const qr = useMemo(() => (setup ? qrDataURL(setup.otpauth_url) : null), [setup]);

  function submitEnable(e: FormEvent) {
    e.preventDefault();
    enable.mutate();
  }
  function submitCodes(e: FormEvent) {
    e.preventDefault();
    makeCodes.mutate();
  }
  function submitDisable(e: FormEvent) {
    e.preventDefault();
    disable.mutate();
  }

  return (
    <section className="panel" aria-labelledby="tfa-h">
      <h2 id="tfa-h">Two-factor authentication</h2>
      {user?.totp_enabled ? (
        <>
          <p>
            <span className="badge badge-active">On</span> Signing in asks for a code from your authenticator app.
          </p>
          {enable.isSuccess && <SuccessNote>Two-factor authentication is on.</SuccessNote>}
          <div className="subsection" aria-labelledby="codes-h">
            <h3 id="codes-h">Recovery codes</h3>
            {codes ? (
              <RecoveryCodeList codes={codes} onDone={() => setCodes(null)} />
            ) : (
              <>
                <p>
                  {justEnabled
                    ? "Next, create recovery codes: if you lose your phone, each one signs you in once instead of a code from the app."
                    : "If you lose your phone, a recovery code signs you in once. Creating new codes stops the old ones from working."}
                </p>
                <form className="form-inline" onSubmit={submitCodes} noValidate aria-label="Create recovery codes">
                  <Field
                    label="Password"
                    type="password"
                    autoComplete="current-password"
                    value={codesPassword}
                    onChange={(e) => setCodesPassword(e.target.value)}
                    error={fieldError(makeCodes.error, "password")}
                  />
                  <button type="submit" className="btn btn-primary" disabled={makeCodes.isPending}>
                    {justEnabled ? "Create recovery codes" : "Create new recovery codes"}
                  </button>
                </form>
                <ErrorNote error={makeCodes.error} fieldsShown={["password"]} />
              </>
            )}
          </div>
          <h3>Turn off</h3>
          <form className="form-inline" onSubmit={submitDisable} noValidate aria-label="Turn off two-factor authentication">
            <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(disable.error, "password")} />
            <button type="submit" className="btn btn-danger" disabled={disable.isPending}>
              Turn off 2FA
            </button>
          </form>
          <ErrorNote error={disable.error} fieldsShown={["password"]} />
        </>
      ) : !setup ? (
        <>
          <p>Protect your account with a code from an authenticator app each time you sign in.</p>
          {disable.isSuccess && <SuccessNote>Two-factor authentication is off.</SuccessNote>}
          <button type="button" className="btn btn-primary" onClick={() => start.mutate()} disabled={start.isPending}>
            Set up 2FA
          </button>
          <ErrorNote error={start.error} />
        </>
      ) : (
        <div className="tfa-setup">
          {qr && <img src={qr} alt="QR code to add BankApp to your authenticator app" className="qr" width={232} height={232} />}
          <div>
            <ol className="steps">
              <li>Scan the QR code with your authenticator app.</li>
              <li>
                Or type this key: <code className="mono" data-testid="totp-secret">{setup.secret}</code>
              </li>
              <li>Enter the 6-digit code the app shows.</li>
            </ol>
            <form onSubmit={submitEnable} noValidate>
              <Field label="6-digit code" inputMode="numeric" autoComplete="one-time-code" maxLength={8} value={code} onChange={(e) => setCode(e.target.value)} error={fieldError(enable.error, "code")} />
              <ErrorNote error={enable.error} fieldsShown={["code"]} />
              <button type="submit" className="btn btn-primary" disabled={enable.isPending}>
                Turn on 2FA
              </button>
            </form>
          </div>
        </div>
      )}
    </section>
  );
}
