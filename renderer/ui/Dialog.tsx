import { useEffect, useRef, type ReactNode } from "react";
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
  /** md: a form; lg: a document to read; xl: a browser with a preview. Wider dialogs may scroll. */
  size?: "md" | "lg" | "xl";
  /** Replaces the body's default layout (padding, gap, scrolling) for dialogs that lay out their own columns. */
  bodyClassName?: string;
  "data-testid"?: string;
}

const widths = { md: "w-[500px]", lg: "w-[820px] max-h-[84vh]", xl: "w-[1160px] max-h-[88vh]" } as const;

/** A modal panel over a dimmed backdrop; Escape and a click outside close it. */
export function Dialog({ title, description, onClose, children, footer, className, size = "md", bodyClassName, ...rest }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  // Keyboard focus moves into the dialog (unless a field took it with autoFocus), so Escape reaches it.
  useEffect(() => {
    const panel = ref.current;
    if (panel !== null && !panel.contains(document.activeElement)) panel.focus();
  }, []);
  return (
    <div
      className={cx("fixed inset-0 z-40 flex items-start justify-center bg-zinc-950/70 px-4 backdrop-blur-[2px]", size === "md" ? "pt-[12vh]" : "pt-[5vh]")}
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        tabIndex={-1}
        data-testid={rest["data-testid"]}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            onClose();
          }
        }}
        className={cx("flex max-w-full flex-col rounded-xl border outline-none border-zinc-700/80 bg-zinc-900 shadow-2xl shadow-black/60", widths[size], className)}
      >
        <header className="flex shrink-0 items-start gap-3 border-b border-zinc-800 px-5 py-4">
          <div className="min-w-0 flex-1">
            <h2 className="text-sm font-semibold text-zinc-50">{title}</h2>
            {description !== undefined && <p className="mt-1 text-xs leading-relaxed text-zinc-400">{description}</p>}
          </div>
          <button type="button" onClick={onClose} aria-label="Close" className="-mr-1 rounded-md p-1 text-zinc-500 hover:bg-zinc-800 hover:text-zinc-200">
            <Icon name="x" className="size-4" />
          </button>
        </header>
        <div className={bodyClassName ?? cx("flex min-h-0 flex-col gap-4 px-5 py-4", size !== "md" && "overflow-y-auto")}>{children}</div>
        {footer !== undefined && <footer className="flex shrink-0 items-center justify-end gap-2 border-t border-zinc-800 px-5 py-3">{footer}</footer>}
      </div>
    </div>
  );
}
