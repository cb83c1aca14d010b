import { defineConfig } from "vitest/config";

// Two suites, split by cost: unit tests need no model and run in
// milliseconds; model tests load the real GGUF test models and run one file at a time,
// because llama.cpp threads and a 2-core machine do not mix with parallel workers.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Tests never touch the real user's settings: every run gets its own data folder.
const home = mkdtempSync(join(tmpdir(), "masque-test-home-"));

export default defineConfig({
  test: {
    env: { MASQUE_HOME: home },
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "model",
          include: ["tests/model/**/*.test.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
