import { useQueries, useQuery } from "@tanstack/react-query";
import type { Instrument } from "../../api/types";
import { useApi } from "../../app/auth";

/** useInstruments looks up the names and types of symbols (a search per symbol, cached for the session). */
export function useInstruments(symbols: string[]): Map<string, Instrument> {
  const api = useApi();
  const results = useQueries({
    queries: symbols.map((s) => ({
      queryKey: ["instrument", s],
      queryFn: () => api.search(s),
      staleTime: Infinity,
      retry: false,
    })),
  });
  const out = new Map<string, Instrument>();
  symbols.forEach((s, i) => {
    const hit = results[i]?.data?.items.find((x) => x.symbol === s);
    if (hit) out.set(s, hit);
  });
  return out;
}

/** useBrokerage returns the customer's open brokerage accounts. */
export function useBrokerage() {
  const api = useApi();
  const accounts = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  return { ...accounts, brokerage: (accounts.data?.items ?? []).filter((a) => a.type === "brokerage" && a.status !== "closed") };
}
