// `npm test`: typecheck, lint, unit tests, model tests on the real GGUF test models, then
// Playwright e2e in Debian Chromium against web mode. Stops at the first failing step.
import { spawnSync } from "node:child_process";

const steps = [
  ["typecheck", "npx", ["tsc", "-b"]],
  ["lint", "npx", ["eslint", "."]],
  ["unit tests", "npx", ["vitest", "run", "--project", "unit"]],
  ["model tests", "npx", ["vitest", "run", "--project", "model"]],
  ["build", "node", ["scripts/build.mjs"]],
  ["e2e tests", "npx", ["playwright", "test"]],
];

for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n=== ${name} FAILED (exit ${result.status ?? result.signal}) after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`=== ${name} passed in ${seconds}s`);
}
