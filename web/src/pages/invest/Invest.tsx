import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useApi } from "../../app/auth";
import { useFeatures } from "../../app/features";
import { Field } from "../../components/Field";
import { EmptyState, ErrorNote, Skeleton } from "../../components/Feedback";
import { Briefcase, ChevronRight, Search as SearchIcon } from "../../components/icons";
import { PageTitle } from "../../components/PageTitle";
import { useBrokerage } from "./hooks";
import { Portfolio } from "./Portfolio";
import { Watchlist } from "./Watchlist";

/** Invest is the portfolio (value, chart, allocation, holdings), search and the watchlist. */
export default function Invest() {
  const api = useApi();
  const qc = useQueryClient();
  const { brokerage, isPending } = useBrokerage();
  const openBrokerage = useMutation({
    mutationFn: () => api.openAccount({ type: "brokerage", currency: "USD", name: "Investments" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["accounts"] }),
  });

  return (
    <div className="page">
      <PageTitle subtitle="Stocks, funds and crypto, bought with the cash in your brokerage account.">Invest</PageTitle>
      {isPending ? (
        <Skeleton variant="page" label="Loading your portfolio…" />
      ) : brokerage.length === 0 ? (
        <section className="panel" aria-labelledby="nobrk-h">
          <EmptyState
            icon={Briefcase}
            title="Open a brokerage account to start investing"
            action={
              <button type="button" className="btn btn-primary" onClick={() => openBrokerage.mutate()} disabled={openBrokerage.isPending}>
                Open brokerage account
              </button>
            }
          >
            <span id="nobrk-h">It's free. Move money into it from checking, then buy whole or fractional shares.</span>
          </EmptyState>
          <ErrorNote error={openBrokerage.error} />
        </section>
      ) : (
        <Portfolio />
      )}
      <div className="two-col">
        <Search />
        <Watchlist />
      </div>
    </div>
  );
}

function Search() {
  const api = useApi();
  const { crypto } = useFeatures();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const res = useQuery({ queryKey: ["search", q], queryFn: () => api.search(q), enabled: q !== "" });
  const items = (res.data?.items ?? []).filter((i) => crypto || i.type !== "crypto");

  function submit(e: FormEvent) {
    e.preventDefault();
    setQ(text.trim());
  }

  return (
    <section className="panel" aria-labelledby="search-h">
      <h2 id="search-h">Find {crypto ? "a stock, fund or crypto" : "a stock or fund"}</h2>
      <form className="search-form" onSubmit={submit} role="search">
        <Field label="Symbol or name" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={crypto ? "e.g. AAPL, Vanguard, Bitcoin" : "e.g. AAPL, Vanguard"} />
        <button type="submit" className="btn btn-primary" aria-label="Search">
          <SearchIcon aria-hidden="true" />
          <span className="hide-narrow">Search</span>
        </button>
      </form>
      {res.isFetching && <Skeleton lines={3} label="Searching…" />}
      <ErrorNote error={res.error} />
      {res.data && !res.isFetching &&
        (items.length === 0 ? (
          <p className="muted">No matches for “{q}”. Try a ticker like AAPL or a name like Apple.</p>
        ) : (
          <ul className="rows" aria-label="Search results">
            {items.map((i) => (
              <li key={i.symbol}>
                <Link className="row row-link" to={`/invest/${encodeURIComponent(i.symbol)}`}>
                  <span className="ticker" aria-hidden="true">
                    {i.symbol.replace(/-USD$/, "").slice(0, 4)}
                  </span>
                  <span className="row-main">
                    <strong>{i.name}</strong>
                    <span className="muted">
                      {i.symbol} · {i.type === "crypto" ? "Crypto" : i.exchange}
                    </span>
                  </span>
                  <ChevronRight aria-hidden="true" className="row-chevron" />
                </Link>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
