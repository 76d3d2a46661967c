import type { ReactNode } from "react";
import { PageTitle } from "../../components/PageTitle";

/** AuthFrame is the page around sign-in and sign-up (and later password reset and email verification). */
export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <div className="auth-page">
      <main className="auth-main" id="main">
        <div className="auth-card">
          <span className="brand auth-brand">
            <span className="brand-mark" aria-hidden="true">
              <svg viewBox="0 0 24 24" width="18" height="18">
                <path d="M7 4.5h5.5a3.75 3.75 0 0 1 0 7.5H7zM7 12h6.5a3.75 3.75 0 0 1 0 7.5H7z" className="brand-path" />
              </svg>
            </span>
            <span className="brand-name">BankApp</span>
          </span>
          <PageTitle subtitle={subtitle}>{title}</PageTitle>
          {children}
        </div>
      </main>
      <aside className="auth-aside" aria-label="About BankApp">
        <p className="auth-pitch">Your money, clear to the cent.</p>
        <ul className="auth-points">
          <li>Send money instantly to any BankApp account</li>
          <li>Hold dollars, euros and pounds</li>
          <li>Invest in stocks, funds and crypto from $1</li>
        </ul>
      </aside>
    </div>
  );
}
