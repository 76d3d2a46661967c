import type { Instrument } from "../api/types";

/** AssetClass groups holdings for allocation. */
export type AssetClass = "Stocks and funds" | "Crypto" | "Cash";

/**
 * assetClass classifies a symbol: the instrument's own type when known (from
 * search), otherwise the market's convention that crypto pairs are quoted as
 * "BTC-USD".
 */
export function assetClass(symbol: string, instrument?: Pick<Instrument, "type"> | null): AssetClass {
  if (instrument) return instrument.type === "crypto" ? "Crypto" : "Stocks and funds";
  return /-USD$/.test(symbol) ? "Crypto" : "Stocks and funds";
}
