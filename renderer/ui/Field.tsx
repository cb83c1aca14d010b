import { useId, type ReactNode } from "react";
import { cx } from "./cx";

export interface FieldProps {
  label: ReactNode;
  /** Shown under the control in muted text. */
  hint?: ReactNode;
  /** Renders the control; `id` links it to the label. */
  children: (id: string) => ReactNode;
  className?: string;
}

/** A label, a control and an optional hint, stacked. */
export function Field({ label, hint, children, className }: FieldProps) {
  const id = useId();
  return (
    <div className={cx("flex min-w-0 flex-col gap-1", className)}>
      <label htmlFor={id} className="text-[11px] font-medium text-zinc-400">
        {label}
      </label>
      {children(id)}
      {hint !== undefined && <p className="text-[11px] leading-snug text-zinc-500">{hint}</p>}
    </div>
  );
}
