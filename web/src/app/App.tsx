import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, type ReactNode, useState } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { ApiError } from "../api/client";
import { Loading } from "../components/Feedback";
import { Suspended } from "../components/Suspended";
import { SignIn } from "../pages/auth/SignIn";
import { SignUp } from "../pages/auth/SignUp";
import { AuthProvider, useAuth } from "./auth";
import { Layout } from "./Layout";

// Pages load on demand; charts and admin land in their own chunks.
const loadDashboard = () => import("../pages/dashboard/Dashboard");
// The dashboard is the usual first page: fetch its chunk while the session refresh is in flight.
const dashboardChunk = typeof window !== "undefined" && window.location.pathname === "/" ? loadDashboard() : null;
const Dashboard = lazy(() => dashboardChunk ?? loadDashboard());
const Accounts = lazy(() => import("../pages/accounts/Accounts"));
const AccountDetail = lazy(() => import("../pages/accounts/AccountDetail"));
const MoveMoney = lazy(() => import("../pages/move/MoveMoney"));
const Invest = lazy(() => import("../pages/invest/Invest"));
const Settings = lazy(() => import("../pages/settings/Settings"));
const Admin = lazy(() => import("../pages/admin/Admin"));

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

function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { status, user } = useAuth();
  const loc = useLocation();
  if (status === "checking") return <Loading label="Checking your session…" />;
  if (status === "signed-out") return <Navigate to="/signin" replace state={{ from: loc.pathname + loc.search }} />;
  if (admin && user?.role !== "admin") return <Navigate to="/" replace />;
  return <>{children}</>;
}

function PublicOnly({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === "checking") return <Loading label="Checking your session…" />;
  if (status === "signed-in") return <Navigate to="/" replace />;
  return <>{children}</>;
}

/** AppRoutes lists every page of the app. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/signin" element={<PublicOnly><SignIn /></PublicOnly>} />
      <Route path="/signup" element={<PublicOnly><SignUp /></PublicOnly>} />
      <Route element={<RequireAuth><Layout /></RequireAuth>}>
        <Route index element={<Suspended><Dashboard /></Suspended>} />
        <Route path="accounts" element={<Suspended><Accounts /></Suspended>} />
        <Route path="accounts/:id" element={<Suspended><AccountDetail /></Suspended>} />
        <Route path="move/*" element={<Suspended><MoveMoney /></Suspended>} />
        <Route path="invest" element={<Suspended><Invest /></Suspended>} />
        <Route path="settings" element={<Suspended><Settings /></Suspended>} />
        <Route path="admin" element={<RequireAuth admin><Suspended><Admin /></Suspended></RequireAuth>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        The page you asked for does not exist. <a href="/">Go to your dashboard</a>.
      </p>
    </section>
  );
}

/** App is the root component. */
export function App() {
  const [qc] = useState(newQueryClient);
  return (
    <QueryClientProvider client={qc}>
      <BrowserRouter>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
