import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { Ellipsis, LogOut } from "../components/icons";
import { useAuth } from "./auth";
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

/**
 * Layout is the signed-in frame: a sidebar on wide screens; on phones a slim
 * top bar and a bottom tab bar (Home, Accounts, Move, Invest, More).
 */
export function Layout() {
  const { user, signOut } = useAuth();
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
        <Outlet />
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
