import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, type ReactNode, useState } from "react";
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from "react-router";
import { ApiError } from "../api/client";
import { Skeleton } from "../components/Feedback";
import { PageTitle } from "../components/PageTitle";
import { Suspended } from "../components/Suspended";
import { ForgotPassword, ResetPassword, VerifyEmail } from "../pages/auth/Recovery";
import { SignIn } from "../pages/auth/SignIn";
import { SignUp } from "../pages/auth/SignUp";
import { AuthProvider, useAuth } from "./auth";
import { FeaturesProvider } from "./features";
import { Layout } from "./Layout";

// Pages load on demand; charts and admin land in their own chunks.
const loadDashboard = () => import("../pages/dashboard/Dashboard");
// The dashboard is the usual first page: fetch its chunk while the session refresh is in flight.
const dashboardChunk = typeof window !== "undefined" && window.location.pathname === "/" && document.cookie.includes("bankapp_signed_in=1") ? loadDashboard() : null;
const Dashboard = lazy(() => dashboardChunk ?? loadDashboard());
const Accounts = lazy(() => import("../pages/accounts/Accounts"));
const AccountDetail = lazy(() => import("../pages/accounts/AccountDetail"));
const MoveMoney = lazy(() => import("../pages/move/MoveMoney"));
const Invest = lazy(() => import("../pages/invest/Invest"));
const SymbolPage = lazy(() => import("../pages/invest/SymbolPage"));
const Settings = lazy(() => import("../pages/settings/Settings"));
const More = lazy(() => import("../pages/more/More"));
const Admin = lazy(() => import("../pages/admin/Admin"));
const AdminUser = lazy(() => import("../pages/admin/AdminUser"));

/** newQueryClient makes the data cache; client errors (4xx) are not retried. */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (n, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && n < 2,
      },
      mutations: { retry: false },
    },
  });
}

function SessionSkeleton() {
  return (
    <div className="boot">
      <Skeleton variant="page" label="Opening BankApp…" />
    </div>
  );
}

function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { status, user } = useAuth();
  const loc = useLocation();
  if (status === "checking") return <SessionSkeleton />;
  if (status === "signed-out") return <Navigate to="/signin" replace state={{ from: loc.pathname + loc.search }} />;
  if (admin && user?.role !== "admin") return <Navigate to="/" replace />;
  return <>{children}</>;
}

function PublicOnly({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === "checking") return <SessionSkeleton />;
  if (status === "signed-in") return <Navigate to="/" replace />;
  return <>{children}</>;
}

/** Settled waits for the session check, then shows the page whether or not someone is signed in. */
function Settled({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === "checking") return <SessionSkeleton />;
  return <>{children}</>;
}

const page = (el: ReactNode) => <Suspended>{el}</Suspended>;

/**
 * AppRoutes lists every page. Public pages (sign-in, sign-up, and later
 * password reset and email verification) share the AuthFrame; signed-in
 * pages share the Layout. Later flows slot in as routes here (Exchange as
 * /move/exchange inside MoveMoney).
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/signin" element={<PublicOnly><SignIn /></PublicOnly>} />
      <Route path="/signup" element={<PublicOnly><SignUp /></PublicOnly>} />
      <Route path="/forgot-password" element={<PublicOnly><ForgotPassword /></PublicOnly>} />
      {/* The links in emails (internal/mail templates): they work signed in or out. */}
      <Route path="/reset-password" element={<Settled><ResetPassword /></Settled>} />
      <Route path="/verify-email" element={<Settled><VerifyEmail /></Settled>} />
      <Route element={<RequireAuth><Layout /></RequireAuth>}>
        <Route index element={page(<Dashboard />)} />
        <Route path="accounts" element={page(<Accounts />)} />
        <Route path="accounts/:id" element={page(<AccountDetail />)} />
        <Route path="move/*" element={page(<MoveMoney />)} />
        <Route path="invest" element={page(<Invest />)} />
        <Route path="invest/:symbol" element={page(<SymbolPage />)} />
        <Route path="settings" element={page(<Settings />)} />
        <Route path="more" element={page(<More />)} />
        <Route path="admin" element={<RequireAuth admin>{page(<Admin />)}</RequireAuth>} />
        <Route path="admin/users/:id" element={<RequireAuth admin>{page(<AdminUser />)}</RequireAuth>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <div className="page">
      <PageTitle>Page not found</PageTitle>
      <p>
        The page you asked for does not exist. <Link to="/">Go to your dashboard</Link>.
      </p>
    </div>
  );
}

/** App is the root component. */
export function App() {
  const [qc] = useState(newQueryClient);
  return (
    <QueryClientProvider client={qc}>
      <FeaturesProvider>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </FeaturesProvider>
    </QueryClientProvider>
  );
}
