import { createContext, type ReactNode, useContext } from "react";

/**
 * Features are switches for parts of the app that can be turned off without a
 * release (e.g. crypto where it may not be offered). Components ask
 * useFeatures() instead of reading settings, so a server-driven flag only
 * needs to fill this context.
 */
export interface Features {
  /** crypto shows crypto in search, quotes, watchlists and allocation. */
  crypto: boolean;
}

export const DEFAULT_FEATURES: Features = { crypto: true };

const FeaturesContext = createContext<Features>(DEFAULT_FEATURES);

export function FeaturesProvider({ value = DEFAULT_FEATURES, children }: { value?: Features; children: ReactNode }) {
  return <FeaturesContext.Provider value={value}>{children}</FeaturesContext.Provider>;
}

export function useFeatures(): Features {
  return useContext(FeaturesContext);
}
