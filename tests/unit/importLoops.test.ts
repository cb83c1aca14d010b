import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../testModels.js";

// No modules of engine/ may import each other in a loop (type imports included: a loop of
// types is still one concept spread over several files), and no two feature folders of the
// renderer may (a feature is a unit: one that imports another must not be imported back).
// Loops are found as the strongly connected components of the import graph.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

/** Relative imports and re-exports of each file, resolved to files. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const targets: string[] = [];
    // `import … from`, `export … from`, `import "…"` and `import("…")`.
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"|^\s*import\s+"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/gms)) {
      // The engine imports "./x.js" (NodeNext), the renderer "./x" (bundler resolution).
      const base = resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!.replace(/\.js$/, ""));
      const target = [".ts", ".tsx", "/index.ts"].map((ext) => base + ext).find((p) => existsSync(p));
      if (target !== undefined) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file, iterative. */
export function loops(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) found.push(component);
      }
    }
  }
  return found;
}

/** Feature folders of the renderer and the other feature folders each imports (types included). */
function featureGraph(): Map<string, string[]> {
  const root = join(repoRoot, "renderer", "features");
  const featureOf = (file: string) => relative(root, file).split(/[\\/]/)[0]!;
  const files = sourceFiles(root);
  const graph = new Map<string, string[]>(readdirSync(root).map((name) => [name, []]));
  for (const [file, targets] of importGraph(files)) {
    const from = featureOf(file);
    for (const target of targets) {
      const to = featureOf(target);
      if (to !== from && !to.startsWith("..") && !graph.get(from)!.includes(to)) graph.get(from)!.push(to);
    }
  }
  return graph;
}

/**
 * The one loop left among the features: the loom (tree) shows the panels of completion,
 * exports, lab, characters, persona, scenes and the map, and they call its actions back. It may
 * shrink; nothing may join it and no other loop may appear.
 */
const KNOWN_FEATURE_LOOP = ["characters", "completion", "exports", "lab", "persona", "scenes", "tree", "treeMap"];

describe("import loops", () => {
  it("finds a loop it is shown (the checker works)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
    ]);
    expect(loops(graph).map((c) => c.sort())).toEqual([["a", "b", "c"]]);
  });

  it("has no import loop in engine/", () => {
    const files = sourceFiles(join(repoRoot, "engine"));
    const found = loops(importGraph(files)).map((c) => c.map((f) => relative(repoRoot, f).replaceAll("\\", "/")).sort());
    expect(found, `import loop(s):\n${found.map((l) => l.join(" → ")).join("\n")}`).toEqual([]);
  });

  it("has no loop between renderer features but the known one", () => {
    const graph = featureGraph();
    expect(graph.get("tree"), "the feature folders are read").toContain("model");
    const found = loops(graph).map((c) => c.sort());
    const unexpected = found.filter((c) => c.some((f) => !KNOWN_FEATURE_LOOP.includes(f)));
    expect(unexpected, `feature folders importing each other:\n${unexpected.map((l) => l.join(" ↔ ")).join("\n")}`).toEqual([]);
  });

  it("would catch the model panel and the model library importing each other", () => {
    const graph = featureGraph();
    graph.set("modelLibrary", ["model"]);
    graph.get("model")!.push("modelLibrary");
    expect(loops(graph).some((c) => c.includes("model") && c.includes("modelLibrary"))).toBe(true);
  });
});
