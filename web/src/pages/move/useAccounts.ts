import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../app/auth";

/** useOpenAccounts returns the customer's accounts that are not closed. */
export function useOpenAccounts() {
  const api = useApi();
  const q = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  return { ...q, accounts: (q.data?.items ?? []).filter((a) => a.status !== "closed") };
}

/** usePayees returns the customer's saved payees. */
export function usePayees() {
  const api = useApi();
  const q = useQuery({ queryKey: ["payees"], queryFn: api.payees });
  return { ...q, payees: q.data?.items ?? [] };
}

/** useMoneyMoved returns a callback that refreshes everything a money movement changes. */
export function useMoneyMoved() {
  const qc = useQueryClient();
  return () => {
    for (const k of ["accounts", "account", "transactions", "transfers", "portfolio", "orders", "dashboard", "overview"]) {
      void qc.invalidateQueries({ queryKey: [k] });
    }
  };
}
