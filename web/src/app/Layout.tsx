import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useMutation } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { errorText } from "../components/Feedback";
import { Ellipsis, LogOut, MailWarning } from "../components/icons";
import { useAuth } from "./auth";
import { ServerFeatures } from "./features";
import { PRIMARY, SECONDARY } from "./nav";

/** initials are shown in the avatar: "Ada Lovelace" → "AL". */
export function initials(name: string | undefined): string {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")).toUpperCase() || "?";
}

function Brand() {
  return (
    <span className="brand">
      <span className="brand-mark" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="18" height="18">
          <path d="M7 4.5h5.5a3.75 3.75 0 0 1 0 7.5H7zM7 12h6.5a3.75 3.75 0 0 1 0 7.5H7z" className="brand-path" />
        </svg>
      </span>
      <span className="brand-name">BankApp</span>
    </span>
  );
}

/** VerifyBanner says the email is not confirmed yet and resends the link (it restricts nothing). */
function VerifyBanner({ email }: { email: string }) {
  const { api } = useAuth();
  const resend = useMutation({ mutationFn: api.resendVerification });
  const already = resend.error instanceof ApiError && resend.error.code === "already_verified";
  return (
    <div className="banner" role="region" aria-label="Address not confirmed yet">
      <MailWarning aria-hidden="true" className="note-icon" />
      <p>
        {resend.isSuccess
          ? `We've sent a new link to ${email}. Open it to confirm your address.`
          : already
            ? "Your email address is already confirmed. Reload the page to hide this message."
            : `Please confirm your email address (${email}) with the link we sent you, so we can reach you about your account.`}
        {resend.isError && !already && <span className="block field-error">{errorText(resend.error)}</span>}
      </p>
      {!resend.isSuccess && !already && (
        <button type="button" className="btn btn-small" onClick={() => resend.mutate()} disabled={resend.isPending}>
          {resend.isPending ? "Sending…" : "Resend email"}
        </button>
      )}
    </div>
  );
}

/**
 * Layout is the signed-in frame: a sidebar on wide screens; on phones a slim
 * top bar and a bottom tab bar (Home, Accounts, Move, Invest, More).
 */
export function Layout() {
  const { api, user, signOut } = useAuth();
  const loc = useLocation();
  const navigate = useNavigate();
  const secondary = SECONDARY.filter((n) => !n.adminOnly || user?.role === "admin");
  const moreActive = loc.pathname === "/more" || secondary.some((n) => loc.pathname.startsWith(n.to));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Brand />
        <nav aria-label="Main" className="side-nav">
          <ul>
            {[...PRIMARY, ...secondary].map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.end}>
                  <n.icon aria-hidden="true" />
                  <span>{n.to === "/move" ? "Move money" : n.label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="side-user">
          <span className="avatar" aria-hidden="true">
            {initials(user?.full_name)}
          </span>
          <span className="side-user-name">{user?.full_name}</span>
          <button type="button" className="icon-button" onClick={() => void signOut()} aria-label="Sign out">
            <LogOut aria-hidden="true" />
          </button>
        </div>
      </aside>
      <header className="topbar">
        <Brand />
        <NavLink to="/settings" className="avatar avatar-link">
          <span aria-hidden="true">{initials(user?.full_name)}</span>
          <span className="visually-hidden">Settings</span>
        </NavLink>
      </header>
      <main id="main" className="content">
        {user && !user.email_verified && <VerifyBanner email={user.email} />}
        <ServerFeatures api={api}>
          <Outlet />
        </ServerFeatures>
      </main>
      <nav aria-label="Tabs" className="tabbar">
        <ul>
          {PRIMARY.map((n) => (
            <li key={n.to}>
              <NavLink to={n.to} end={n.end}>
                <n.icon aria-hidden="true" />
                <span>{n.label}</span>
              </NavLink>
            </li>
          ))}
          <li>
            {/* A button, not a link: it opens the menu of everything else (Settings, Admin, Sign out). */}
            <button type="button" className={moreActive ? "active" : undefined} aria-current={moreActive ? "page" : undefined} onClick={() => navigate("/more")}>
              <Ellipsis aria-hidden="true" />
              <span>More</span>
            </button>
          </li>
        </ul>
      </nav>
    </div>
  );
}
