import { type ReactNode, useEffect, useRef } from "react";

/** PageTitle is the page's h1; it takes focus on mount so route changes are announced. */
export function PageTitle({ children, actions, subtitle }: { children: ReactNode; actions?: ReactNode; subtitle?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${typeof children === "string" ? children : "BankApp"} · BankApp`;
    ref.current?.focus({ preventScroll: true });
  }, [children]);
  return (
    <div className="page-title">
      <div className="page-title-text">
        <h1 ref={ref} tabIndex={-1}>
          {children}
        </h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
