import { ArrowLeftRight, ChartLine, House, type LucideIcon, Settings, Shield, Wallet } from "../components/icons";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  end?: boolean;
  adminOnly?: boolean;
}

/**
 * PRIMARY are the four places a customer goes most; on a phone they are the
 * bottom tab bar with "More" as the fifth tab. New top-level flows slot in
 * below them (e.g. Exchange lives under Move money, security pages under
 * Settings) so the bar never grows.
 */
export const PRIMARY: NavItem[] = [
  { to: "/", label: "Home", icon: House, end: true },
  { to: "/accounts", label: "Accounts", icon: Wallet },
  { to: "/move", label: "Move", icon: ArrowLeftRight },
  { to: "/invest", label: "Invest", icon: ChartLine },
];

/** SECONDARY are shown in the desktop sidebar and on the More page. */
export const SECONDARY: NavItem[] = [
  { to: "/settings", label: "Settings", icon: Settings },
  { to: "/admin", label: "Admin", icon: Shield, adminOnly: true },
];
