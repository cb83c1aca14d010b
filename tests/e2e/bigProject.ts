import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeProject } from "../../engine/common/project/codec.js";
import type { TreeNode } from "../../engine/common/project/types.js";
import { newProjectState } from "../../engine/node/projectManager.js";

/** A 10,000-node project file, written directly in the project format (a ternary tree, depth 8). */
export function writeBigProject(path: string, count: number): { deepestId: string } {
  const state = newProjectState("Ten thousand nodes", "The tree of many branches.");
  const tree = [...state.trees.values()][0]!;
  const root = state.nodes.get(tree.rootId)!;
  const nodes = new Map<string, TreeNode>([[root.id, root]]);
  const ids = [root.id];
  const words = ["moon", "river", "dragon", "lantern", "garden", "storm", "whisper", "castle"];
  for (let i = 1; i < count; i++) {
    const id = `n${i}`;
    const parentId = ids[Math.floor((i - 1) / 3)]!;
    ids.push(id);
    nodes.set(id, { ...root, id, parentId, seq: i, origin: i % 5 === 0 ? "human" : "generated", text: ` Node ${i}: the ${words[i % words.length]} said something.`, bookmarked: i % 97 === 0 });
  }
  const deepestId = ids[count - 1]!;
  const trees = new Map([[tree.id, { ...tree, activeId: deepestId }]]);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, encodeProject({ ...state, nodes, trees, nextSeq: count }, "tree.spec", new Date().toISOString()));
  return { deepestId };
}

