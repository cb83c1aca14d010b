import type { NodeOrigin } from "../../../engine/common/project/types.js";
import { cx } from "../../ui/cx";
import { Icon, type IconName } from "../../ui/Icon";

/** How each origin looks: human interventions stand out from generated text. */
export const origins: Record<NodeOrigin, { label: string; icon: IconName; text: string; bar: string }> = {
  root: { label: "prompt", icon: "doc", text: "text-zinc-400", bar: "bg-zinc-600" },
  generated: { label: "generated", icon: "sparkle", text: "text-violet-300", bar: "bg-violet-500/70" },
  human: { label: "human", icon: "user", text: "text-sky-300", bar: "bg-sky-500/80" },
  edit: { label: "edited", icon: "pencil", text: "text-amber-300", bar: "bg-amber-400/80" },
  continuation: { label: "continued", icon: "continue", text: "text-emerald-300", bar: "bg-emerald-500/70" },
  import: { label: "imported", icon: "import", text: "text-zinc-300", bar: "bg-zinc-500" },
};

export function OriginIcon({ origin, className }: { origin: NodeOrigin; className?: string }) {
  const o = origins[origin];
  return <Icon name={o.icon} className={cx("size-3 shrink-0", o.text, className)} />;
}

/** The origin as a small label; "edited" and "continued" mark human interventions. */
export function OriginBadge({ origin }: { origin: NodeOrigin }) {
  const o = origins[origin];
  const intervention = origin === "edit" || origin === "human" || origin === "continuation";
  return (
    <span
      data-testid="origin-badge"
      data-origin={origin}
      className={cx(
        "inline-flex items-center gap-1 rounded px-1.5 py-px text-[10px] font-semibold tracking-wide uppercase",
        intervention ? "bg-zinc-800/80 ring-1 ring-inset ring-zinc-700" : "",
        o.text,
      )}
    >
      <Icon name={o.icon} className="size-3" />
      {o.label}
    </span>
  );
}
