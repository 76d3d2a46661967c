import { useQuery } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext } from "react";
import type { Api } from "../api/endpoints";

/**
 * Features are switches for parts of the app that can be turned off without a
 * release (e.g. crypto where it may not be offered). Components ask
 * useFeatures() instead of reading settings; for a signed-in customer
 * ServerFeatures fills them from GET /features.
 */
export interface Features {
  /** crypto shows crypto in search, quotes and watchlists and lets it be traded (the server's crypto_trading). */
  crypto: boolean;
}

export const DEFAULT_FEATURES: Features = { crypto: true };

const FeaturesContext = createContext<Features>(DEFAULT_FEATURES);

export function FeaturesProvider({ value = DEFAULT_FEATURES, children }: { value?: Features; children: ReactNode }) {
  return <FeaturesContext.Provider value={value}>{children}</FeaturesContext.Provider>;
}

/**
 * ServerFeatures provides the server's flags (GET /features). While they load,
 * or if they cannot be read, crypto trading counts as off: a flag the client
 * does not know is off, and the server refuses a disabled order anyway.
 */
export function ServerFeatures({ api, children }: { api: Api; children: ReactNode }) {
  const q = useQuery({ queryKey: ["features"], queryFn: api.features, staleTime: 60_000 });
  const value: Features = { crypto: q.data?.features.crypto_trading === true };
  return <FeaturesProvider value={value}>{children}</FeaturesProvider>;
}

export function useFeatures(): Features {
  return useContext(FeaturesContext);
}
