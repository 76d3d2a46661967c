import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { signedInUser, useAuth } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, fieldError } from "../../components/Feedback";
import { AuthFrame } from "./AuthFrame";

/** SignUp registers a customer and signs them straight in. */
export function SignUp() {
  const { api, client, signedIn } = useAuth();
  const navigate = useNavigate();
  const [fullName, setFullName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.register({ email, password, full_name: fullName });
      const res = await api.login({ email, password });
      signedIn(res.user ?? (await signedInUser(client, api, res.access_token)), res.access_token);
      navigate("/", { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Open your account">
      <form onSubmit={submit} noValidate>
        <Field
          label="Full name"
          autoComplete="name"
          required
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          error={fieldError(error, "full_name")}
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldError(error, "email")}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint="At least 12 characters. Avoid common passwords."
          error={fieldError(error, "password")}
        />
        <ErrorNote error={error} fieldsShown={["email", "password", "full_name"]} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? "Opening your account…" : "Open account"}
        </button>
      </form>
      <p className="auth-switch">
        Already a customer? <Link to="/signin">Sign in</Link>
      </p>
    </AuthFrame>
  );
}
