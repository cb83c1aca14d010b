import type { ReactNode } from "react";
import { cx } from "./cx";
import { Icon } from "./Icon";

export interface DialogProps {
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom right. */
  footer?: ReactNode;
  className?: string;
  "data-testid"?: string;
}

/** A modal panel over a dimmed backdrop; Escape and a click outside close it. */
export function Dialog({ title, description, onClose, children, footer, className, ...rest }: DialogProps) {
  return (
    <div
      className="fixed inset-0 z-40 flex items-start justify-center bg-zinc-950/70 px-4 pt-[12vh] backdrop-blur-[2px]"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        role="dialog"
        aria-modal="true"
        data-testid={rest["data-testid"]}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            onClose();
          }
        }}
        className={cx("flex w-[500px] max-w-full flex-col rounded-xl border border-zinc-700/80 bg-zinc-900 shadow-2xl shadow-black/60", className)}
      >
        <header className="flex items-start gap-3 border-b border-zinc-800 px-5 py-4">
          <div className="min-w-0 flex-1">
            <h2 className="text-sm font-semibold text-zinc-50">{title}</h2>
            {description !== undefined && <p className="mt-1 text-xs leading-relaxed text-zinc-400">{description}</p>}
          </div>
          <button type="button" onClick={onClose} aria-label="Close" className="-mr-1 rounded-md p-1 text-zinc-500 hover:bg-zinc-800 hover:text-zinc-200">
            <Icon name="x" className="size-4" />
          </button>
        </header>
        <div className="flex flex-col gap-4 px-5 py-4">{children}</div>
        {footer !== undefined && <footer className="flex items-center justify-end gap-2 border-t border-zinc-800 px-5 py-3">{footer}</footer>}
      </div>
    </div>
  );
}
