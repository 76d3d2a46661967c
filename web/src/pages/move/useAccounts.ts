import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../app/auth";

/** useOpenAccounts returns the customer's active accounts. */
export function useOpenAccounts() {
  const api = useApi();
  const q = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  return { ...q, accounts: (q.data?.items ?? []).filter((a) => a.status !== "closed") };
}

/** useMoneyMoved returns a callback that refreshes everything a money movement changes. */
export function useMoneyMoved() {
  const qc = useQueryClient();
  return () => {
    for (const k of ["accounts", "account", "transactions", "transfers", "portfolio", "orders"]) {
      void qc.invalidateQueries({ queryKey: [k] });
    }
  };
}
