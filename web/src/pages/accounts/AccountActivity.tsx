import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Account, QueryOf } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { EmptyState, ErrorNote, Skeleton, fieldError } from "../../components/Feedback";
import { Download, Inbox } from "../../components/icons";
import { saveBlob } from "../../lib/download";
import { EntryList } from "./EntryList";

const EMPTY = { from: "", to: "", type: "", q: "" };

/** AccountActivity is the filterable, paged transaction history with CSV export. */
export function AccountActivity({ account: a, accounts }: { account: Account; accounts: Account[] }) {
  const api = useApi();
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const [exportError, setExportError] = useState<unknown>(null);
  const active = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""));
  const h = useAccountHistory(a.id, active);
  const entries = h.data?.pages.flatMap((p) => p.items) ?? [];

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }

  async function exportCSV() {
    setExportError(null);
    try {
      const { blob, filename } = await api.transactionsCSV(a.id, { from: filters.from, to: filters.to });
      saveBlob(blob, filename ?? `transactions-${a.number}.csv`);
    } catch (err) {
      setExportError(err);
    }
  }

  return (
    <section className="panel" aria-labelledby="hist-h">
      <div className="section-head">
        <h2 id="hist-h">Transactions</h2>
        <button type="button" className="btn btn-small" onClick={() => void exportCSV()}>
          <Download aria-hidden="true" />
          Export CSV
        </button>
      </div>
      <ErrorNote error={exportError} />
      <form className="filters" onSubmit={apply} aria-label="Filter transactions">
        <Field label="From" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} error={fieldError(h.error, "from")} />
        <Field label="To" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} error={fieldError(h.error, "to")} />
        <SelectField label="Type" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
          <option value="">All types</option>
          <option value="deposit">Deposits</option>
          <option value="withdrawal">Withdrawals</option>
          <option value="transfer_in">Money in</option>
          <option value="transfer_out">Money out</option>
          <option value="trade_buy">Buys</option>
          <option value="trade_sell">Sells</option>
          <option value="fee">Fees</option>
          <option value="interest">Interest</option>
        </SelectField>
        <Field label="Search" type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} placeholder="Name or description" />
        <div className="filter-buttons">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {h.isPending ? (
        <Skeleton lines={5} label="Loading transactions…" />
      ) : h.isError ? (
        <ErrorNote error={h.error} />
      ) : (
        <>
          <EntryList
            entries={entries}
            accounts={accounts}
            showBalance
            empty={
              <EmptyState icon={Inbox} title={Object.keys(active).length ? "No transactions match" : "No transactions yet"}>
                {Object.keys(active).length ? "Try other dates or clear the filters." : "Money you add, send or receive will show here."}
              </EmptyState>
            }
          />
          {h.hasNextPage && (
            <button type="button" className="btn btn-block" onClick={() => void h.fetchNextPage()} disabled={h.isFetchingNextPage}>
              {h.isFetchingNextPage ? "Loading…" : "Show more"}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** useAccountHistory pages through an account's entries with filters. */
export function useAccountHistory(id: string, filters: Record<string, string>) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ["transactions", id, filters],
    queryFn: ({ pageParam }) => api.transactions(id, { ...filters, type: filters.type as QueryOf<"transactions">["type"], limit: 25, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
