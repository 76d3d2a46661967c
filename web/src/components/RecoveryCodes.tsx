import { useState } from "react";
import { saveBlob } from "../lib/download";
import { Download } from "./icons";

/** RecoveryCodeList shows freshly made recovery codes once, with copy and download. */
export function RecoveryCodeList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const text = `BankApp recovery codes\nEach code signs you in once in place of your authenticator app's code.\nKeep them somewhere safe.\n\n${codes.join("\n")}\n`;
  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied("Your browser didn't allow copying. Select the codes and copy them, or download them.");
    }
  }
  return (
    <div className="recovery-codes">
      <p className="note note-info" role="status">
        Save these recovery codes now: this is the only time they are shown. If you lose your phone, each code signs you in once.
      </p>
      <ol className="codes mono" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <div className="row-actions">
        <button type="button" className="btn" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className="btn" onClick={() => saveBlob(new Blob([text], { type: "text/plain" }), "bankapp-recovery-codes.txt")}>
          <Download aria-hidden="true" /> Download
        </button>
        <button type="button" className="btn btn-primary" onClick={onDone}>
          I've saved them
        </button>
      </div>
      {copied && (
        <p className="hint" role="status">
          {copied}
        </p>
      )}
    </div>
  );
}
