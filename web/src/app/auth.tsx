import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, createContext, startTransition, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { ApiClient } from "../api/client";
import { type Api, makeApi } from "../api/endpoints";
import type { User } from "../api/types";
import { clearSessionHint, hasSessionHint, setSessionHint } from "./sessionHint";

type Status = "checking" | "signed-in" | "signed-out";

interface AuthValue {
  api: Api;
  client: ApiClient;
  user: User | null;
  status: Status;
  /** notice is a message for the sign-in page, e.g. why the session ended. */
  notice: string | null;
  setNotice: (n: string | null) => void;
  signedIn: (user: User, accessToken: string) => void;
  setUser: (user: User) => void;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

/** AuthProvider owns the API client, the in-memory access token and the current user. */
export function AuthProvider({ children, client: given }: { children: ReactNode; client?: ApiClient }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const clientRef = useRef<ApiClient | null>(null);
  if (clientRef.current === null) clientRef.current = given ?? new ApiClient();
  const client = clientRef.current;
  const api = useMemo(() => makeApi(client), [client]);
  const [user, setUserState] = useState<User | null>(null);
  // Without the hint there is no session to restore: start signed out and ask nothing.
  const [status, setStatus] = useState<Status>(() => (hasSessionHint() ? "checking" : "signed-out"));
  const [notice, setNotice] = useState<string | null>(null);
  const userRef = useRef<User | null>(null);
  useEffect(() => {
    userRef.current = user;
  }, [user]);

  useEffect(() => {
    client.onSessionExpired = (reason) => {
      clearSessionHint();
      if (userRef.current)
        setNotice(
          reason === "idle"
            ? "You were signed out after 30 minutes without activity. Please sign in again."
            : "Your session has ended. Please sign in again.",
        );
      setUserState(null);
      setStatus("signed-out");
      qc.clear();
      navigate("/signin", { replace: true });
    };
  }, [client, navigate, qc]);

  // What the user does (not what the page polls) keeps the session alive:
  // the client refreshes silently only within IDLE_TIMEOUT_MS of the last
  // key, tap, click or scroll.
  useEffect(() => {
    const note = () => client.noteActivity();
    const events = ["pointerdown", "keydown", "touchstart", "wheel"] as const;
    for (const e of events) window.addEventListener(e, note, { passive: true, capture: true });
    return () => {
      for (const e of events) window.removeEventListener(e, note, { capture: true });
    };
  }, [client]);

  // A reload keeps the user signed in: the HttpOnly refresh cookie buys a new access token.
  useEffect(() => {
    let live = true;
    if (!hasSessionHint()) return;
    (async () => {
      const ok = await client.refresh();
      if (!ok) {
        clearSessionHint();
        if (live) setStatus("signed-out");
        return;
      }
      try {
        // Accounts are on nearly every page: load them alongside the user, not after.
        void qc.prefetchQuery({ queryKey: ["accounts"], queryFn: api.accounts });
        const { user: me } = await api.me();
        // A concurrent call may have found the session gone meanwhile (and dropped the token).
        if (live && client.hasAccessToken()) {
          // The whole signed-in app renders now: as a transition, React builds
          // it in short slices instead of one long task.
          startTransition(() => {
            setUserState(me);
            setStatus("signed-in");
          });
        }
      } catch {
        if (live) setStatus("signed-out");
      }
    })();
    return () => {
      live = false;
    };
  }, [api, client, qc]);

  const signedIn = useCallback(
    (u: User, token: string) => {
      client.setAccessToken(token);
      setSessionHint();
      setUserState(u);
      setNotice(null);
      setStatus("signed-in");
    },
    [client],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Signing out locally must work even when the server cannot be reached.
    }
    client.setAccessToken(null);
    clearSessionHint();
    qc.clear();
    setUserState(null);
    setStatus("signed-out");
    setNotice("You have signed out.");
    navigate("/signin", { replace: true });
  }, [api, client, navigate, qc]);

  const value = useMemo<AuthValue>(
    () => ({ api, client, user, status, notice, setNotice, signedIn, setUser: setUserState, signOut }),
    [api, client, user, status, notice, signedIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** useAuth returns the auth state and the API. */
export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error("useAuth outside AuthProvider");
  return v;
}

/** useApi returns the typed API bound to the signed-in client. */
export function useApi(): Api {
  return useAuth().api;
}

/** signedInUser asks who signed in, for a login answer without the user (the contract makes it optional). */
export async function signedInUser(client: ApiClient, api: Api, token: string): Promise<User> {
  client.setAccessToken(token);
  return (await api.me()).user;
}
