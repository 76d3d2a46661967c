import type { ReactNode } from "react";
import { PageTitle } from "../../components/PageTitle";

/** AuthFrame is the centered card used by the sign-in and sign-up pages. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <div className="brand auth-brand">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          <span className="brand-name">BankApp</span>
        </div>
        <PageTitle>{title}</PageTitle>
        {children}
      </div>
    </main>
  );
}
