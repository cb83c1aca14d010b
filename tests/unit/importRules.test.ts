import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../testModels.js";

// The import direction (see eslint.config.js) is enforced by lint; these cases prove the rules fire
// (and stay quiet on allowed imports), linting snippets as if they lived in each folder.
const eslint = new ESLint({ cwd: repoRoot });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => m.message);
}

describe("import direction", () => {
  it.each([
    ["engine/common/x.ts", 'import { readFileSync } from "node:fs"; export const f = readFileSync;'],
    ["engine/common/x.ts", 'import { getLlama } from "node-llama-cpp"; export const f = getLlama;'],
    ["engine/node/x.ts", 'import { app } from "electron"; export const f = app;'],
    ["engine/node/x.ts", 'import { useState } from "react"; export const f = useState;'],
    ["renderer/features/x.ts", 'import { readFileSync } from "node:fs"; export const f = readFileSync;'],
    ["renderer/features/x.ts", 'import { LlamaRuntime } from "../../engine/node/llamaRuntime.js"; export const f = LlamaRuntime;'],
    ["renderer/features/x.ts", 'import { create } from "zustand"; export const f = create;'],
    ["electron/x.ts", 'import { App } from "../renderer/app/App.js"; export const f = App;'],
    // engine/common values in the renderer: only the listed pure modules.
    ["renderer/features/x.ts", 'import { lineSchema } from "../../engine/common/project/schema.js"; export const f = lineSchema;'],
    ["renderer/state/x.ts", 'import { dispatch } from "../../engine/common/api/handlers.js"; export const f = dispatch;'],
    ["renderer/features/x.ts", 'import { performArgs, type PerformArgs } from "../../engine/common/project/commandSchemas.js"; export const f: PerformArgs | typeof performArgs = performArgs;'],
  ])("%s: %s is rejected", async (file, code) => {
    expect(await violations(file, code)).not.toHaveLength(0);
  });

  it.each([
    ["engine/node/x.ts", 'import { readFileSync } from "node:fs"; export const f = readFileSync;'],
    ["renderer/features/x.ts", 'import type { ModelInfo } from "../../engine/common/protocol.js"; export type M = ModelInfo;'],
    ["renderer/features/x.ts", 'import { type ProjectSnapshot } from "../../engine/common/project/types.js"; export type M = ProjectSnapshot;'],
    ["renderer/features/x.ts", 'import { pathTo } from "../../engine/common/project/queries.js"; export const f = pathTo;'],
    ["renderer/features/x.ts", 'import { formatInfo, type FormatId } from "../../engine/common/formats/catalog.js"; export const f: FormatId[] = Object.keys(formatInfo) as FormatId[];'],
    ["renderer/state/x.ts", 'import { create } from "zustand"; export const f = create;'],
    ["electron/x.ts", 'import { createEngine } from "../engine/node/createEngine.js"; export const f = createEngine;'],
  ])("%s: %s is allowed", async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
