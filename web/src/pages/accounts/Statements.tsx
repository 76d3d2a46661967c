import { type FormEvent, useState } from "react";
import type { Account } from "../../api/types";
import { useApi } from "../../app/auth";
import { Field, SelectField } from "../../components/Field";
import { ErrorNote, SuccessNote } from "../../components/Feedback";
import { currentMonth } from "../../lib/dates";
import { saveBlob } from "../../lib/download";

/** Statements downloads a monthly statement as PDF or CSV. */
export function Statements({ account: a }: { account: Account }) {
  const api = useApi();
  const [month, setMonth] = useState(currentMonth());
  const [format, setFormat] = useState<"pdf" | "csv">("pdf");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { blob, filename } = await api.statement(a.id, month, format);
      const name = filename ?? `statement-${a.number}-${month}.${format}`;
      saveBlob(blob, name);
      setDone(name);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="stmt-h">
      <h2 id="stmt-h">Statements</h2>
      <form className="form-inline" onSubmit={submit} aria-label="Download a statement">
        <Field label="Month" type="month" value={month} max={currentMonth()} required onChange={(e) => setMonth(e.target.value)} />
        <SelectField label="Format" value={format} onChange={(e) => setFormat(e.target.value as "pdf" | "csv")}>
          <option value="pdf">PDF</option>
          <option value="csv">CSV</option>
        </SelectField>
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Preparing…" : "Download statement"}
        </button>
      </form>
      <ErrorNote error={error} />
      {done && <SuccessNote>Downloaded {done}.</SuccessNote>}
    </section>
  );
}
