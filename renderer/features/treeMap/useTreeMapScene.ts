import { useMemo } from "react";
import { useEngineState } from "../../state/engineState";
import { pathTo } from "../../state/projectQueries";
import { useTreePersonaLabels } from "../persona/usePersona";
import { useTreeSearch } from "../tree/treeSearch";
import { useCurrentTree } from "../tree/useTree";
import type { MapScene } from "./drawTreeMap";
import { nodeColours, type MapColouring } from "./treeMapColors";
import { layoutTree } from "./treeMapLayout";

/**
 * Everything the map draws, memoised in layers: the layout on the node Map and the root,
 * the colours on the layout and the colouring, the marks on their own inputs, so navigating
 * redoes only the active path.
 */
export function useTreeMapScene(chosen: MapColouring | null) {
  const project = useEngineState((s) => s.project);
  const nodes = project?.nodes;
  const tree = useCurrentTree();
  const rootId = tree?.rootId;
  const activeId = tree?.activeId;
  const personaLabels = useTreePersonaLabels();
  // Persona colours by default once the tree is scored; otherwise who wrote each node.
  const colouring: MapColouring = chosen ?? (personaLabels !== null ? "persona" : "origin");
  const hits = useTreeSearch((s) => (s.query.trim() === "" ? null : s.hits));

  const layout = useMemo(() => (project === null || rootId === undefined ? null : layoutTree(project, rootId)), [nodes, rootId]);
  const colours = useMemo(() => (layout === null ? null : nodeColours(layout.nodes, colouring, personaLabels)), [layout, colouring, personaLabels]);
  const byColour = useMemo(() => {
    const groups = new Map<string, number[]>();
    colours?.colours.forEach((c, i) => {
      const group = groups.get(c);
      if (group === undefined) groups.set(c, [i]);
      else group.push(i);
    });
    return new Map([...groups].map(([c, list]) => [c, Int32Array.from(list)]));
  }, [colours]);
  const bookmarks = useMemo(() => Int32Array.from(layout?.nodes.flatMap((n, i) => (n.bookmarked ? [i] : [])) ?? []), [layout]);
  const hitIndexes = useMemo(() => Int32Array.from((hits ?? []).flatMap((h) => layout?.index.get(h.nodeId) ?? [])), [hits, layout]);
  const activePath = useMemo(
    () => Int32Array.from(project === null || activeId === undefined || layout === null ? [] : pathTo(project, activeId).flatMap((n) => layout.index.get(n.id) ?? [])),
    [layout, activeId],
  );
  const scene = useMemo<MapScene | null>(
    () => (layout === null ? null : { layout, byColour, activePath, bookmarks, hits: hitIndexes }),
    [layout, byColour, activePath, bookmarks, hitIndexes],
  );
  return { scene, colouring, legend: colours?.legend ?? [], activeIndex: activePath.at(-1) ?? -1, hitCount: hitIndexes.length };
}
