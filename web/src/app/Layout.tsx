import { NavLink, Outlet } from "react-router";
import { useAuth } from "./auth";

const NAV = [
  { to: "/", label: "Home", end: true },
  { to: "/accounts", label: "Accounts" },
  { to: "/move", label: "Move money" },
  { to: "/invest", label: "Invest" },
  { to: "/settings", label: "Settings" },
];

/** Layout is the signed-in frame: skip link, header with navigation, main landmark. */
export function Layout() {
  const { user, signOut } = useAuth();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand" aria-label="BankApp">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          <span className="brand-name">BankApp</span>
        </div>
        <nav aria-label="Main" className="mainnav">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.end}>
                  {n.label}
                </NavLink>
              </li>
            ))}
            {user?.role === "admin" && (
              <li>
                <NavLink to="/admin">Admin</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="user-menu">
          <span className="user-name">{user?.full_name}</span>
          <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="content">
        <Outlet />
      </main>
    </div>
  );
}
