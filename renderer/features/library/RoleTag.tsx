import { cx } from "../../ui/cx";

/** Luigi (the intended character) in teal, its waluigi twin in rose; a stated rule in amber beside it. */
export function RoleTag({ role, ruleStated, className }: { role: "luigi" | "waluigi"; ruleStated: boolean; className?: string }) {
  return (
    <span className={cx("inline-flex items-center gap-1", className)}>
      <span
        className={cx(
          "inline-flex items-center gap-1 rounded px-1.5 py-px text-[9.5px] font-semibold tracking-[0.06em] uppercase ring-1 ring-inset",
          role === "luigi" ? "bg-teal-500/10 text-teal-300 ring-teal-500/30" : "bg-rose-500/10 text-rose-300 ring-rose-500/30",
        )}
      >
        <span aria-hidden className={cx("size-1.5 rounded-full", role === "luigi" ? "bg-teal-400" : "bg-rose-400")} />
        {role}
      </span>
      {ruleStated && <span className="rounded bg-amber-400/10 px-1.5 py-px text-[9.5px] font-semibold tracking-[0.06em] text-amber-200 uppercase ring-1 ring-amber-400/30 ring-inset">rule stated</span>}
    </span>
  );
}
