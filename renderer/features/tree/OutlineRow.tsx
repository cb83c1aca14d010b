import { memo } from "react";
import type { PersonaLabel } from "../../../engine/common/persona/labels.js";
import { DEGENERATE_STRIPES, labelStyles } from "../persona/personaStyle";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { previewLine, type OutlineEntry } from "./flattenOutline";
import { navigateTo } from "./navigation";
import { OriginIcon, origins } from "./OriginBadge";
import { toggleCollapsed } from "./treeView";

export const ROW_HEIGHT = 26;
const INDENT = 14;
const MAX_INDENT_LEVELS = 24;

export interface OutlineRowProps {
  entry: OutlineEntry;
  top: number;
  active: boolean;
  onPath: boolean;
  collapsed: boolean;
  /** The node's persona label, from the filter along its path; null when not scored. */
  persona: PersonaLabel | null;
}

/** One outline row: indent guides, fold caret, origin, persona label, a one-line preview and the node's marks. */
export const OutlineRow = memo(function OutlineRow({ entry, top, active, onPath, collapsed, persona }: OutlineRowProps) {
  const { node, depth, indent, childCount } = entry;
  const levels = Math.min(indent, MAX_INDENT_LEVELS);
  const replay = node.generation?.replay;
  return (
    <div
      role="treeitem"
      aria-selected={active}
      aria-expanded={childCount > 0 ? !collapsed : undefined}
      aria-level={depth + 1}
      data-testid="tree-row"
      data-node-id={node.id}
      data-active={active}
      data-persona={persona ?? undefined}
      title={`${origins[node.origin].label}${persona === null ? "" : ` · ${persona}`} · depth ${depth}${childCount > 0 ? ` · ${childCount} children` : ""}\n${previewLine(node.text, 400)}`}
      onClick={() => navigateTo(node.id)}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      className={cx(
        "absolute inset-x-0 top-0 flex cursor-pointer items-center gap-1.5 pr-2 text-xs select-none",
        active ? "bg-violet-500/20 text-zinc-50" : onPath ? "bg-violet-500/[0.07] text-zinc-200 hover:bg-violet-500/10" : "text-zinc-400 hover:bg-zinc-800/60 hover:text-zinc-200",
      )}
    >
      {active && <span aria-hidden className="absolute inset-y-0 left-0 w-0.5 bg-violet-400" />}
      <span
        aria-hidden
        className="h-full shrink-0"
        style={{
          width: 6 + levels * INDENT,
          backgroundImage: "linear-gradient(to right, transparent 12px, rgb(63 63 70 / 0.55) 12px, rgb(63 63 70 / 0.55) 13px, transparent 13px)",
          backgroundSize: `${INDENT}px 100%`,
          backgroundPosition: "6px 0",
          backgroundRepeat: "repeat-x",
        }}
      />
      {childCount > 0 ? (
        <button
          type="button"
          aria-label={collapsed ? "Expand" : "Collapse"}
          data-testid="tree-row-toggle"
          onClick={(e) => {
            e.stopPropagation();
            toggleCollapsed(node.id);
          }}
          className="-ml-1 flex size-4 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-700 hover:text-zinc-100"
        >
          <Icon name="chevron" className={cx("size-3 transition-transform", !collapsed && "rotate-90")} />
        </button>
      ) : (
        <span className="-ml-1 size-4 shrink-0" />
      )}
      <OriginIcon origin={node.origin} />
      {persona !== null && (
        <span
          data-testid="tree-row-persona"
          data-label={persona}
          aria-label={`persona: ${persona}`}
          className={cx("size-2 shrink-0 rounded-full ring-2 ring-zinc-950/80", labelStyles[persona].dot)}
          style={persona === "degenerate" ? { backgroundImage: DEGENERATE_STRIPES } : undefined}
        />
      )}
      <span className={cx("min-w-0 flex-1 truncate", node.origin === "root" ? "font-medium" : "font-mono text-[11.5px]")}>
        {node.speaker !== null && <span className="mr-1 text-zinc-400">{node.speaker}:</span>}
        {node.text === "" ? <span className="text-zinc-500 italic">(empty)</span> : previewLine(node.text)}
      </span>
      {node.sceneId !== null && <Icon name="swap" className="size-3 shrink-0 text-rose-300/80" />}
      {node.bookmarked && <Icon name="star" className="size-3 shrink-0 fill-amber-300 text-amber-300" />}
      {replay !== undefined && (
        <span className={cx("shrink-0 text-[11px] font-bold", replay.matched ? "text-emerald-400" : "text-rose-400")} title={replay.matched ? "Replay matched" : "Replay mismatch"}>
          {replay.matched ? "✓" : "✗"}
        </span>
      )}
      {childCount > 0 && (
        <span className={cx("shrink-0 rounded px-1 font-mono text-[10px] tabular-nums", collapsed ? "bg-zinc-700 text-zinc-200" : "bg-zinc-800/80 text-zinc-400")}>
          {childCount}
        </span>
      )}
    </div>
  );
});
