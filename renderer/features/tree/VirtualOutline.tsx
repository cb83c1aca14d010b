import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { PersonaLabel } from "../../../engine/common/persona/labels.js";
import type { OutlineEntry } from "./flattenOutline";
import { OutlineRow, ROW_HEIGHT } from "./OutlineRow";

const OVERSCAN = 8;

export interface VirtualOutlineProps {
  rows: readonly OutlineEntry[];
  activeId: string;
  onPath: ReadonlySet<string>;
  collapsed: ReadonlySet<string>;
  /** Each scored node's persona label (null: persona tracking is not set up for this tree). */
  personaLabels: ReadonlyMap<string, PersonaLabel> | null;
}

/**
 * The outline, virtualised: rows have a fixed height, so only those in the scrolled window
 * (plus a few either side) are rendered, however many the tree has.
 */
export function VirtualOutline({ rows, activeId, onPath, collapsed, personaLabels }: VirtualOutlineProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(800);

  // The window's height follows the panel's size (a DOM measurement, not app state).
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Bring the active row into view when it changes (keyboard navigation, search, generation).
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const index = rows.findIndex((r) => r.node.id === activeId);
    if (index === -1) return;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = Math.max(0, top - 2 * ROW_HEIGHT);
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + 3 * ROW_HEIGHT - el.clientHeight;
  }, [rows, activeId]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  return (
    <div
      ref={ref}
      role="tree"
      aria-label="Tree outline"
      data-testid="tree-outline"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      className="h-full overflow-y-auto overscroll-contain"
    >
      <div className="relative" style={{ height: rows.length * ROW_HEIGHT }}>
        {visible.map((entry, i) => (
          <OutlineRow
            key={entry.node.id}
            entry={entry}
            top={(first + i) * ROW_HEIGHT}
            active={entry.node.id === activeId}
            onPath={onPath.has(entry.node.id)}
            collapsed={collapsed.has(entry.node.id)}
            persona={personaLabels?.get(entry.node.id) ?? null}
          />
        ))}
      </div>
    </div>
  );
}
