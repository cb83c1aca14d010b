import { cx } from "../../ui/cx";

const roleTone = {
  luigi: { tag: "bg-teal-500/10 text-teal-300 ring-teal-500/30", dot: "bg-teal-400" },
  waluigi: { tag: "bg-rose-500/10 text-rose-300 ring-rose-500/30", dot: "bg-rose-400" },
  mixed: { tag: "bg-violet-500/10 text-violet-300 ring-violet-500/30", dot: "bg-violet-400" },
};

/** Luigi (the intended character) in teal, its waluigi twin in rose, a scene where either speaks in violet; a stated rule in amber beside it. */
export function RoleTag({ role, ruleStated, className }: { role: "luigi" | "waluigi" | "mixed"; ruleStated: boolean; className?: string }) {
  return (
    <span className={cx("inline-flex items-center gap-1", className)}>
      <span
        className={cx(
          "inline-flex items-center gap-1 rounded px-1.5 py-px text-[9.5px] font-semibold tracking-[0.06em] uppercase ring-1 ring-inset",
          roleTone[role].tag,
        )}
      >
        <span aria-hidden className={cx("size-1.5 rounded-full", roleTone[role].dot)} />
        {role}
      </span>
      {ruleStated && <span className="rounded bg-amber-400/10 px-1.5 py-px text-[9.5px] font-semibold tracking-[0.06em] text-amber-200 uppercase ring-1 ring-amber-400/30 ring-inset">rule stated</span>}
    </span>
  );
}
