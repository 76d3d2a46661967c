package market

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Listing is one entry of the built-in catalogue: what the simulated market
// trades, and the ticker ↔ CoinGecko id mapping used by the live market.
type Listing struct {
	Instrument
	// BasePrice is the simulated market's centre price in USD.
	BasePrice decimal.Decimal
	// CoinGeckoID is the CoinGecko coin id of a crypto listing ("bitcoin").
	CoinGeckoID string
}

type listing struct {
	symbol, name, typ, exchange, base, coinID string
}

// catalog is the one table of known instruments. It is read-only: accessors
// return copies. Crypto tickers follow Yahoo's SYMBOL-USD convention.
var catalog = [...]listing{
	{"AAPL", "Apple Inc.", TypeStock, "NASDAQ", "228.50", ""},
	{"MSFT", "Microsoft Corporation", TypeStock, "NASDAQ", "415.20", ""},
	{"GOOGL", "Alphabet Inc. Class A", TypeStock, "NASDAQ", "172.30", ""},
	{"AMZN", "Amazon.com, Inc.", TypeStock, "NASDAQ", "186.40", ""},
	{"NVDA", "NVIDIA Corporation", TypeStock, "NASDAQ", "135.60", ""},
	{"META", "Meta Platforms, Inc.", TypeStock, "NASDAQ", "560.10", ""},
	{"TSLA", "Tesla, Inc.", TypeStock, "NASDAQ", "248.90", ""},
	{"NFLX", "Netflix, Inc.", TypeStock, "NASDAQ", "690.00", ""},
	{"ADBE", "Adobe Inc.", TypeStock, "NASDAQ", "505.70", ""},
	{"INTC", "Intel Corporation", TypeStock, "NASDAQ", "22.80", ""},
	{"AMD", "Advanced Micro Devices, Inc.", TypeStock, "NASDAQ", "155.30", ""},
	{"CSCO", "Cisco Systems, Inc.", TypeStock, "NASDAQ", "56.40", ""},
	{"QCOM", "QUALCOMM Incorporated", TypeStock, "NASDAQ", "165.20", ""},
	{"PEP", "PepsiCo, Inc.", TypeStock, "NASDAQ", "168.90", ""},
	{"COST", "Costco Wholesale Corporation", TypeStock, "NASDAQ", "880.50", ""},
	{"SBUX", "Starbucks Corporation", TypeStock, "NASDAQ", "97.30", ""},
	{"PYPL", "PayPal Holdings, Inc.", TypeStock, "NASDAQ", "78.60", ""},
	{"BRK-B", "Berkshire Hathaway Inc. Class B", TypeStock, "NYSE", "455.80", ""},
	{"JPM", "JPMorgan Chase & Co.", TypeStock, "NYSE", "212.40", ""},
	{"BAC", "Bank of America Corporation", TypeStock, "NYSE", "41.20", ""},
	{"WFC", "Wells Fargo & Company", TypeStock, "NYSE", "63.70", ""},
	{"GS", "The Goldman Sachs Group, Inc.", TypeStock, "NYSE", "520.30", ""},
	{"V", "Visa Inc.", TypeStock, "NYSE", "285.10", ""},
	{"MA", "Mastercard Incorporated", TypeStock, "NYSE", "505.60", ""},
	{"JNJ", "Johnson & Johnson", TypeStock, "NYSE", "158.70", ""},
	{"PFE", "Pfizer Inc.", TypeStock, "NYSE", "28.90", ""},
	{"MRK", "Merck & Co., Inc.", TypeStock, "NYSE", "101.40", ""},
	{"UNH", "UnitedHealth Group Incorporated", TypeStock, "NYSE", "585.20", ""},
	{"WMT", "Walmart Inc.", TypeStock, "NYSE", "82.60", ""},
	{"PG", "The Procter & Gamble Company", TypeStock, "NYSE", "170.30", ""},
	{"KO", "The Coca-Cola Company", TypeStock, "NYSE", "69.40", ""},
	{"MCD", "McDonald's Corporation", TypeStock, "NYSE", "295.80", ""},
	{"NKE", "NIKE, Inc.", TypeStock, "NYSE", "77.90", ""},
	{"DIS", "The Walt Disney Company", TypeStock, "NYSE", "98.20", ""},
	{"HD", "The Home Depot, Inc.", TypeStock, "NYSE", "402.50", ""},
	{"XOM", "Exxon Mobil Corporation", TypeStock, "NYSE", "118.30", ""},
	{"CVX", "Chevron Corporation", TypeStock, "NYSE", "155.10", ""},
	{"BA", "The Boeing Company", TypeStock, "NYSE", "154.70", ""},
	{"IBM", "International Business Machines Corporation", TypeStock, "NYSE", "210.40", ""},
	{"ORCL", "Oracle Corporation", TypeStock, "NYSE", "178.60", ""},
	{"CRM", "Salesforce, Inc.", TypeStock, "NYSE", "290.30", ""},
	{"T", "AT&T Inc.", TypeStock, "NYSE", "22.40", ""},
	{"VZ", "Verizon Communications Inc.", TypeStock, "NYSE", "42.10", ""},
	{"UBER", "Uber Technologies, Inc.", TypeStock, "NYSE", "72.50", ""},
	{"SPY", "SPDR S&P 500 ETF Trust", TypeStock, "NYSE Arca", "590.20", ""},
	{"VOO", "Vanguard S&P 500 ETF", TypeStock, "NYSE Arca", "542.80", ""},
	{"VTI", "Vanguard Total Stock Market ETF", TypeStock, "NYSE Arca", "292.40", ""},
	{"QQQ", "Invesco QQQ Trust", TypeStock, "NASDAQ", "505.30", ""},
	{"IWM", "iShares Russell 2000 ETF", TypeStock, "NYSE Arca", "232.70", ""},
	{"DIA", "SPDR Dow Jones Industrial Average ETF Trust", TypeStock, "NYSE Arca", "440.60", ""},
	{"GLD", "SPDR Gold Shares", TypeStock, "NYSE Arca", "245.90", ""},
	{"TLT", "iShares 20+ Year Treasury Bond ETF", TypeStock, "NASDAQ", "92.80", ""},

	{"BTC-USD", "Bitcoin", TypeCrypto, "Crypto", "91000.00", "bitcoin"},
	{"ETH-USD", "Ethereum", TypeCrypto, "Crypto", "3050.00", "ethereum"},
	{"USDT-USD", "Tether", TypeCrypto, "Crypto", "1.00", "tether"},
	{"XRP-USD", "XRP", TypeCrypto, "Crypto", "2.20", "ripple"},
	{"BNB-USD", "BNB", TypeCrypto, "Crypto", "880.00", "binancecoin"},
	{"SOL-USD", "Solana", TypeCrypto, "Crypto", "140.00", "solana"},
	{"USDC-USD", "USDC", TypeCrypto, "Crypto", "1.00", "usd-coin"},
	{"DOGE-USD", "Dogecoin", TypeCrypto, "Crypto", "0.1520", "dogecoin"},
	{"TRX-USD", "TRON", TypeCrypto, "Crypto", "0.2800", "tron"},
	{"ADA-USD", "Cardano", TypeCrypto, "Crypto", "0.4300", "cardano"},
	{"AVAX-USD", "Avalanche", TypeCrypto, "Crypto", "14.20", "avalanche-2"},
	{"LINK-USD", "Chainlink", TypeCrypto, "Crypto", "13.10", "chainlink"},
	{"DOT-USD", "Polkadot", TypeCrypto, "Crypto", "2.45", "polkadot"},
	{"LTC-USD", "Litecoin", TypeCrypto, "Crypto", "86.00", "litecoin"},
	{"BCH-USD", "Bitcoin Cash", TypeCrypto, "Crypto", "540.00", "bitcoin-cash"},
	{"XLM-USD", "Stellar", TypeCrypto, "Crypto", "0.2500", "stellar"},
	{"SHIB-USD", "Shiba Inu", TypeCrypto, "Crypto", "0.00000850", "shiba-inu"},
	{"ATOM-USD", "Cosmos Hub", TypeCrypto, "Crypto", "2.60", "cosmos"},
	{"XMR-USD", "Monero", TypeCrypto, "Crypto", "390.00", "monero"},
	{"ETC-USD", "Ethereum Classic", TypeCrypto, "Crypto", "13.40", "ethereum-classic"},
	{"NEAR-USD", "NEAR Protocol", TypeCrypto, "Crypto", "1.90", "near"},
}

func (l listing) export() Listing {
	return Listing{
		Instrument:  Instrument{Symbol: l.symbol, Name: l.name, Type: l.typ, Exchange: l.exchange},
		BasePrice:   decimal.RequireFromString(l.base),
		CoinGeckoID: l.coinID,
	}
}

// Catalog returns a copy of the built-in catalogue, stocks first.
func Catalog() []Listing {
	out := make([]Listing, len(catalog))
	for i, l := range catalog {
		out[i] = l.export()
	}
	return out
}

// LookupListing finds a catalogue entry by symbol (case-insensitive).
func LookupListing(symbol string) (Listing, bool) {
	s := strings.ToUpper(strings.TrimSpace(symbol))
	for _, l := range catalog {
		if l.symbol == s {
			return l.export(), true
		}
	}
	return Listing{}, false
}

// CoinGeckoID maps a crypto ticker (BTC-USD) to its CoinGecko coin id
// (bitcoin).
func CoinGeckoID(symbol string) (string, bool) {
	s := strings.ToUpper(strings.TrimSpace(symbol))
	for _, l := range catalog {
		if l.symbol == s && l.coinID != "" {
			return l.coinID, true
		}
	}
	return "", false
}

// SymbolForCoinGeckoID maps a CoinGecko coin id (bitcoin) to its ticker
// (BTC-USD).
func SymbolForCoinGeckoID(id string) (string, bool) {
	for _, l := range catalog {
		if l.coinID != "" && l.coinID == id {
			return l.symbol, true
		}
	}
	return "", false
}

// IsCrypto reports whether symbol is a cryptocurrency of the catalogue; the
// live market sends those to CoinGecko.
func IsCrypto(symbol string) bool {
	_, ok := CoinGeckoID(symbol)
	return ok
}
