import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../app/auth";
import { Field } from "../../components/Field";
import { ErrorNote, Loading } from "../../components/Feedback";
import { PageTitle } from "../../components/PageTitle";
import { Holdings } from "./Holdings";
import { SymbolPanel } from "./SymbolPanel";
import { Watchlist } from "./Watchlist";

/** Invest is search, quotes and trading, holdings, allocation and the watchlist. */
export default function Invest() {
  const api = useApi();
  const qc = useQueryClient();
  const accounts = useQuery({ queryKey: ["accounts"], queryFn: api.accounts });
  const brokerage = (accounts.data?.items ?? []).filter((a) => a.type === "brokerage" && a.status !== "closed");
  const [selected, setSelected] = useState<string | null>(null);
  const openBrokerage = useMutation({
    mutationFn: () => api.openAccount({ type: "brokerage", currency: "USD", name: "Brokerage" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["accounts"] }),
  });

  return (
    <div className="page">
      <PageTitle>Invest</PageTitle>
      {accounts.isPending ? (
        <Loading />
      ) : brokerage.length === 0 ? (
        <section className="panel callout" aria-labelledby="nobrk-h">
          <h2 id="nobrk-h">Open a brokerage account to start investing</h2>
          <p>Stocks and crypto are bought with the cash in a brokerage account. Move money into it from checking.</p>
          <button type="button" className="btn btn-primary" onClick={() => openBrokerage.mutate()} disabled={openBrokerage.isPending}>
            Open brokerage account
          </button>
          <ErrorNote error={openBrokerage.error} />
        </section>
      ) : null}
      <Search onPick={setSelected} />
      {selected && <SymbolPanel key={selected} symbol={selected} brokerage={brokerage} />}
      {brokerage.length > 0 && <Holdings />}
      <Watchlist onPick={setSelected} />
    </div>
  );
}

function Search({ onPick }: { onPick: (s: string) => void }) {
  const api = useApi();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const res = useQuery({ queryKey: ["search", q], queryFn: () => api.search(q), enabled: q !== "" });

  function submit(e: FormEvent) {
    e.preventDefault();
    setQ(text.trim());
  }

  return (
    <section className="panel" aria-labelledby="search-h">
      <h2 id="search-h">Find a stock or crypto</h2>
      <form className="form-inline" onSubmit={submit} role="search">
        <Field label="Symbol or name" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. AAPL, Bitcoin" />
        <button type="submit" className="btn btn-primary">
          Search
        </button>
      </form>
      {res.isFetching && <Loading label="Searching…" />}
      <ErrorNote error={res.error} />
      {res.data && (
        res.data.items.length === 0 ? (
          <p className="muted">No matches for “{q}”.</p>
        ) : (
          <ul className="rows" aria-label="Search results">
            {res.data.items.map((i) => (
              <li key={i.symbol} className="row">
                <span>
                  <strong>{i.symbol}</strong> {i.name} <span className="muted">· {i.type} · {i.exchange}</span>
                </span>
                <button type="button" className="btn" onClick={() => onPick(i.symbol)} aria-label={`View ${i.symbol}`}>
                  View
                </button>
              </li>
            ))}
          </ul>
        )
      )}
    </section>
  );
}
