import type { Account, Payee } from "../../api/types";
import { Field, SelectField } from "../../components/Field";
import { maskNumber } from "../accounts/AccountCard";

/** Recipient is who a payment goes to, as chosen in RecipientPicker. */
export interface Recipient {
  kind: "own" | "payee" | "new";
  number: string;
  /** name is what the customer calls them: the account's or payee's name; "" for a new number. */
  name: string;
}

/** recipientOf resolves a picker value ("own:<id>", "payee:<id>", "new") to a recipient. */
export function recipientOf(choice: string, typed: string, accounts: Account[], payees: Payee[]): Recipient {
  const [kind, id] = choice.split(":");
  if (kind === "own") {
    const a = accounts.find((x) => x.id === id);
    if (a) return { kind: "own", number: a.number, name: a.name };
  }
  if (kind === "payee") {
    const p = payees.find((x) => x.id === id);
    if (p) return { kind: "payee", number: p.account_number, name: p.name };
  }
  return { kind: "new", number: typed.replace(/[\s-]/g, ""), name: "" };
}

/**
 * RecipientPicker chooses who to pay: another of your accounts, a saved
 * payee, or a new account number.
 */
export function RecipientPicker({
  choice,
  onChoice,
  typed,
  onTyped,
  accounts,
  payees,
  fromID,
  error,
}: {
  choice: string;
  onChoice: (v: string) => void;
  typed: string;
  onTyped: (v: string) => void;
  accounts: Account[];
  payees: Payee[];
  fromID: string;
  error?: string;
}) {
  const mine = accounts.filter((a) => a.id !== fromID && a.status !== "closed");
  return (
    <>
      <SelectField label="To" value={choice} onChange={(e) => onChoice(e.target.value)} error={choice !== "new" ? error : undefined}>
        <option value="new">Someone new</option>
        {payees.length > 0 && (
          <optgroup label="Payees">
            {payees.map((p) => (
              <option key={p.id} value={`payee:${p.id}`}>
                {p.name} {maskNumber(p.account_number)}
              </option>
            ))}
          </optgroup>
        )}
        {mine.length > 0 && (
          <optgroup label="Your accounts">
            {mine.map((a) => (
              <option key={a.id} value={`own:${a.id}`}>
                {a.name} {maskNumber(a.number)} ({a.currency})
              </option>
            ))}
          </optgroup>
        )}
      </SelectField>
      {choice === "new" && (
        <Field
          label="Recipient account number"
          inputMode="numeric"
          autoComplete="off"
          maxLength={16}
          value={typed}
          onChange={(e) => onTyped(e.target.value)}
          error={error}
          hint="12 digits, from the person you are paying."
        />
      )}
    </>
  );
}
