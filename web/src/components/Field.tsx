import { type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, useId } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | null;
  hint?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** Field is a labelled input whose error message is tied to it with aria-describedby. */
export function Field({ label, error, hint, id, className, ref, ...rest }: FieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const hintID = hint ? `${fid}-hint` : undefined;
  const errID = error ? `${fid}-err` : undefined;
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={fid}>{label}</label>
      <input
        ref={ref}
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintID, errID].filter(Boolean).join(" ") || undefined}
        {...rest}
      />
      {hint && (
        <p className="hint" id={hintID}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errID}>
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
}

/** SelectField is a labelled select with an attached hint and error message. */
export function SelectField({ label, error, hint, id, children, className, ...rest }: SelectProps) {
  const auto = useId();
  const fid = id ?? auto;
  const hintID = hint ? `${fid}-hint` : undefined;
  const errID = error ? `${fid}-err` : undefined;
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={fid}>{label}</label>
      <select id={fid} aria-invalid={error ? true : undefined} aria-describedby={[hintID, errID].filter(Boolean).join(" ") || undefined} {...rest}>
        {children}
      </select>
      {hint && (
        <p className="hint" id={hintID}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errID}>
          {error}
        </p>
      )}
    </div>
  );
}
