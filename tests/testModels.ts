import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the real GGUF test models live: ../shared/models beside the repository, or
 * MASQUE_TEST_MODELS_DIR. A missing model is a failure, never a skip (CI must not go green
 * without having run the engine).
 */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const testModelsDir = process.env.MASQUE_TEST_MODELS_DIR ?? resolve(repoRoot, "../shared/models");

export const TEST_MODELS = {
  stories: "stories260K.gguf",
  llama2: "llama-2-tiny-random.gguf",
  gpt2: "gpt2-bpe-tiny-random.gguf",
} as const;

export function testModel(name: keyof typeof TEST_MODELS): string {
  const path = join(testModelsDir, TEST_MODELS[name]);
  if (!existsSync(path)) {
    throw new Error(`Test model ${TEST_MODELS[name]} is missing from ${testModelsDir} (set MASQUE_TEST_MODELS_DIR to where the test models are).`);
  }
  return path;
}

/** Walks up to the folder holding package.json (this file may run bundled from dist/). */
function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, "..");
    dir = parent;
  }
  return dir;
}
