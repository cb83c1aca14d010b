import type { ReactNode } from "react";
import { cx } from "./cx";

type Tone = "neutral" | "accent" | "good" | "warn" | "bad";

const tones: Record<Tone, string> = {
  neutral: "bg-zinc-800 text-zinc-300 ring-zinc-700",
  accent: "bg-violet-500/15 text-violet-200 ring-violet-500/30",
  good: "bg-emerald-500/15 text-emerald-200 ring-emerald-500/30",
  warn: "bg-amber-500/15 text-amber-200 ring-amber-500/30",
  bad: "bg-rose-500/15 text-rose-200 ring-rose-500/30",
};

export function Badge({ tone = "neutral", children, className, title }: { tone?: Tone; children: ReactNode; className?: string; title?: string }) {
  return (
    <span title={title} className={cx("inline-flex items-center rounded px-1.5 py-px text-[10px] font-semibold tracking-wide ring-1 ring-inset", tones[tone], className)}>
      {children}
    </span>
  );
}
