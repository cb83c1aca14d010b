import type { ReactNode } from "react";
import { cx } from "./cx";

type Tone = "error" | "warning" | "info";

const tones: Record<Tone, string> = {
  error: "border-rose-500/40 bg-rose-950/50 text-rose-100",
  warning: "border-amber-500/40 bg-amber-950/40 text-amber-100",
  info: "border-sky-500/30 bg-sky-950/40 text-sky-100",
};

const icons: Record<Tone, string> = { error: "✕", warning: "!", info: "i" };
const iconTones: Record<Tone, string> = {
  error: "bg-rose-500/90 text-rose-950",
  warning: "bg-amber-400/90 text-amber-950",
  info: "bg-sky-400/90 text-sky-950",
};

export interface CalloutProps {
  tone: Tone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  "data-testid"?: string;
}

/** A boxed message; errors are announced to assistive technology. */
export function Callout({ tone, title, children, className, ...rest }: CalloutProps) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      data-testid={rest["data-testid"]}
      className={cx("flex gap-2.5 rounded-md border px-3 py-2 text-xs leading-relaxed", tones[tone], className)}
    >
      <span aria-hidden className={cx("mt-px flex size-4 shrink-0 items-center justify-center rounded-full text-[10px] font-bold", iconTones[tone])}>
        {icons[tone]}
      </span>
      <div className="min-w-0 flex-1 break-words">
        {title !== undefined && <div className="font-semibold">{title}</div>}
        {children}
      </div>
    </div>
  );
}
