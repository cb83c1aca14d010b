import { Button } from "../../ui/Button";
import { Panel } from "../../ui/Panel";
import { Select } from "../../ui/Select";
import { SideTabs } from "../tree/SideTabs";
import { useTreeSearch } from "../tree/treeSearch";
import { TreeSearchInput } from "../tree/TreeSearchInput";
import { BookmarkList } from "./BookmarkList";
import { TreeMap } from "./TreeMap";
import type { MapColouring } from "./treeMapColors";
import { useTreeMapView } from "./treeMapView";
import { useTreeMapScene } from "./useTreeMapScene";

/**
 * The right column's map: the whole tree as a zoomable, pannable graph, nodes coloured by
 * persona state, model or origin, bookmarks and search hits ringed, the active path drawn
 * through it; with the bookmark list below.
 */
export function TreeMapPanel() {
  const chosen = useTreeMapView((s) => s.colouring);
  const fitSignal = useTreeMapView((s) => s.fitSignal);
  const query = useTreeSearch((s) => s.query);
  const { scene, colouring, legend, activeIndex, hitCount } = useTreeMapScene(chosen);
  return (
    <Panel title={<SideTabs current="map" />} data-testid="tree-map" bodyClassName="flex flex-col">
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-800 px-2.5 py-1.5">
        <label className="flex items-center gap-1.5 text-[11px] text-zinc-400">
          Colour
          <Select
            aria-label="Colour nodes by"
            data-testid="tree-map-colouring"
            className="h-7 w-28 text-xs"
            value={colouring}
            onChange={(e) => useTreeMapView.set({ colouring: e.target.value as MapColouring })}
          >
            <option value="persona">persona</option>
            <option value="model">model</option>
            <option value="origin">origin</option>
          </Select>
        </label>
        <TreeSearchInput data-testid="tree-map-search" aria-label="Search the tree (hits are ringed on the map)" placeholder="Search" className="h-7 w-24 min-w-0 flex-1 text-xs" />
        <Button size="sm" variant="ghost" data-testid="tree-map-fit" onClick={() => useTreeMapView.set((s) => ({ fitSignal: s.fitSignal + 1 }))} title="Fit the whole tree">
          Fit
        </Button>
      </div>
      <ul className="flex shrink-0 flex-wrap gap-x-3 gap-y-0.5 px-3 py-1 text-[10.5px] text-zinc-400" aria-label="Legend" data-testid="tree-map-legend">
        <li className="font-mono tabular-nums" data-testid="tree-map-count">
          {scene?.layout.nodes.length.toLocaleString("en-US")} nodes{query.trim() !== "" && ` · ${hitCount} hits`}
        </li>
        {legend.map((l) => (
          <li key={l.label} className="flex items-center gap-1">
            <span aria-hidden className="size-2 rounded-[2px]" style={{ backgroundColor: l.colour }} />
            {l.label}
          </li>
        ))}
        <li className="flex items-center gap-1">
          <span aria-hidden className="size-2.5 rounded-full ring-2 ring-amber-400" /> bookmark
        </li>
        <li className="flex items-center gap-1">
          <span aria-hidden className="size-2.5 rounded-full ring-1 ring-yellow-300" /> search hit
        </li>
      </ul>
      <div className="min-h-0 flex-1">{scene !== null && <TreeMap scene={scene} activeIndex={activeIndex} fitSignal={fitSignal} />}</div>
      <BookmarkList />
    </Panel>
  );
}
