import { NavLink, Navigate, Route, Routes } from "react-router";
import { PageTitle } from "../../components/PageTitle";
import { CashForm } from "./CashForm";
import { ExchangeFlow } from "./ExchangeFlow";
import { Payees } from "./Payees";
import { Scheduled } from "./Scheduled";
import { TransferFlow } from "./TransferFlow";

/** TABS are the ways to move money; Exchange moves value between your own accounts in different currencies. */
const TABS = [
  { to: "transfer", label: "Send" },
  { to: "exchange", label: "Exchange" },
  { to: "deposit", label: "Add money" },
  { to: "withdraw", label: "Withdraw" },
  { to: "payees", label: "Payees" },
  { to: "scheduled", label: "Scheduled" },
];

/** MoveMoney groups transfers, deposits, withdrawals, payees and scheduled transfers. */
export default function MoveMoney() {
  return (
    <div className="page">
      <PageTitle>Move money</PageTitle>
      <nav aria-label="Move money" className="tabs">
        <ul>
          {TABS.map((t) => (
            <li key={t.to}>
              <NavLink to={`/move/${t.to}`}>{t.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="transfer" replace />} />
        <Route path="transfer" element={<TransferFlow />} />
        <Route path="exchange" element={<ExchangeFlow />} />
        <Route path="deposit" element={<CashForm kind="deposit" />} />
        <Route path="withdraw" element={<CashForm kind="withdrawal" />} />
        <Route path="payees" element={<Payees />} />
        <Route path="scheduled" element={<Scheduled />} />
      </Routes>
    </div>
  );
}
