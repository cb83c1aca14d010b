import type { ReactNode } from "react";
import { cx } from "./cx";

export interface PanelProps {
  title: ReactNode;
  /** Controls shown at the right of the header. */
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  bodyClassName?: string;
  "data-testid"?: string;
}

/** A titled, bordered region of the workspace. */
export function Panel({ title, actions, children, className, bodyClassName, ...rest }: PanelProps) {
  return (
    <section className={cx("flex min-h-0 flex-col rounded-lg border border-zinc-800 bg-zinc-900/70", className)} data-testid={rest["data-testid"]}>
      <header className="flex h-10 shrink-0 items-center justify-between gap-2 border-b border-zinc-800 px-3.5">
        <h2 className="text-[11px] font-semibold tracking-[0.08em] text-zinc-400 uppercase">{title}</h2>
        {actions !== undefined && <div className="flex items-center gap-1.5">{actions}</div>}
      </header>
      <div className={cx("min-h-0 flex-1", bodyClassName)}>{children}</div>
    </section>
  );
}
