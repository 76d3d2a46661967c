import { Link } from "react-router";
import { SECONDARY } from "../../app/nav";
import { useAuth } from "../../app/auth";
import { ChevronRight, LogOut } from "../../components/icons";
import { PageTitle } from "../../components/PageTitle";

/** More is the phone's menu for everything beyond the four main tabs. */
export default function More() {
  const { user, signOut } = useAuth();
  const items = SECONDARY.filter((n) => !n.adminOnly || user?.role === "admin");
  return (
    <div className="page">
      <PageTitle subtitle={user?.email}>{user?.full_name ?? "More"}</PageTitle>
      <nav aria-label="More" className="panel menu">
        <ul>
          {items.map((n) => (
            <li key={n.to}>
              <Link to={n.to} className="menu-item">
                <n.icon aria-hidden="true" />
                <span>{n.label}</span>
                <ChevronRight aria-hidden="true" className="row-chevron" />
              </Link>
            </li>
          ))}
          <li>
            <button type="button" className="menu-item" onClick={() => void signOut()}>
              <LogOut aria-hidden="true" />
              <span>Sign out</span>
            </button>
          </li>
        </ul>
      </nav>
    </div>
  );
}
