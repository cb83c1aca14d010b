import { memo, useRef } from "react";
import type { TreeNode } from "../../../engine/common/project/types.js";
import { cx } from "../../ui/cx";
import { formatPercent } from "../../ui/format";
import { useRovingTabIndex } from "../../ui/useRovingTabIndex";
import { Icon } from "../../ui/Icon";
import { navigateTo } from "./navigation";
import { NodeActions, BookmarkButton } from "./NodeActions";
import { NodeAnnotations } from "./NodeAnnotations";
import { NodeEditor } from "./NodeEditor";
import { NodeText } from "./NodeText";
import { PersonaChip } from "../persona/PersonaChip";
import type { PersonaTurn } from "../persona/personaTracking";
import { FrameBadge } from "../scenes/FrameBadge";
import { OriginBadge, origins } from "./OriginBadge";
import { ReplayStatus } from "./ReplayStatus";
import { SiblingSwitcher } from "./SiblingSwitcher";
import { meanProbability } from "./tokenSpans";
import { useTreeView } from "./treeView";
import { TagChip } from "./TagChip";

export interface NodeBlockProps {
  node: TreeNode;
  active: boolean;
  /** Position among the parent's children; count 0 for the root. Primitives, so memo holds. */
  siblingIndex: number;
  siblingCount: number;
  prevSiblingId: string | null;
  nextSiblingId: string | null;
  childCount: number;
  /** The turn's persona tracking, when it is a tracked turn (memoised per path, so memo holds). */
  persona: PersonaTurn | null;
}

/** One node of the transcript: origin, sibling switcher, its actions, and its text. */
export const NodeBlock = memo(function NodeBlock({ node, active, siblingIndex, siblingCount, prevSiblingId, nextSiblingId, childCount, persona }: NodeBlockProps) {
  const editing = useTreeView((s) => s.editingId === node.id);
  const annotating = useTreeView((s) => s.annotatingId === node.id);
  const mean = meanProbability(node);
  const toolbar = useRef<HTMLElement>(null);
  // The node's controls are one tab stop (← → move between them), not one per button.
  const roving = useRovingTabIndex(toolbar);
  return (
    <article
      data-testid="transcript-node"
      data-node-id={node.id}
      data-active={active}
      data-origin={node.origin}
      onClick={(e) => {
        // Clicking the text of an earlier block makes it the active node; controls handle their own clicks.
        if (!active && !editing && (e.target as HTMLElement).closest("button, textarea, input, a, form") === null && window.getSelection()?.isCollapsed !== false) navigateTo(node.id);
      }}
      className={cx(
        "group relative rounded-lg border py-2 pr-3 pl-4 transition-colors",
        active ? "border-violet-500/30 bg-violet-500/[0.045] shadow-[0_0_0_1px_rgb(139_92_246/0.08)]" : "cursor-pointer border-transparent hover:bg-zinc-800/25",
      )}
    >
      <span aria-hidden className={cx("absolute top-2.5 bottom-2.5 left-1.5 w-[3px] rounded-full", origins[node.origin].bar, !active && "opacity-60")} />
      <header ref={toolbar} role="toolbar" aria-label="Node controls" onKeyDown={roving.onKeyDown} onFocus={roving.onFocus} className="mb-1 flex min-h-6 flex-wrap items-center gap-x-2 gap-y-1">
        <OriginBadge origin={node.origin} />
        <FrameBadge node={node} />
        {(persona?.tracked != null || persona?.lab != null) && <PersonaChip turn={persona} />}
        {siblingCount > 0 && <SiblingSwitcher index={siblingIndex} count={siblingCount} prevId={prevSiblingId} nextId={nextSiblingId} />}
        <ReplayStatus node={node} />
        {mean !== null && (
          <span className="font-mono text-[10.5px] whitespace-nowrap text-zinc-500 tabular-nums" title="Mean probability of the generated tokens">
            p̄ {formatPercent(mean)}
          </span>
        )}
        {node.tags.map((tag) => (
          <TagChip key={tag} tag={tag} />
        ))}
        <div className="ml-auto flex items-center gap-0.5">
          <NodeActions
            node={node}
            hasChildren={childCount > 0}
            className={cx("transition-opacity", active || editing || annotating ? "opacity-100" : "opacity-0 group-hover:opacity-100 focus-within:opacity-100")}
          />
          <BookmarkButton node={node} className={cx(!node.bookmarked && !active && "opacity-0 group-hover:opacity-100 focus-visible:opacity-100")} />
        </div>
      </header>
      {editing ? <NodeEditor node={node} /> : <NodeText node={node} focusable={active} />}
      {node.note !== "" && !annotating && (
        <p className="mt-1.5 flex items-start gap-1.5 text-xs text-zinc-400 italic">
          <Icon name="note" className="mt-0.5 size-3 shrink-0 text-zinc-500" />
          {node.note}
        </p>
      )}
      {annotating && <NodeAnnotations node={node} />}
    </article>
  );
});
