// Builds everything `npm start`, the web server, benchmarks and e2e tests run:
//   dist/renderer/          the React app (Vite), shared by Electron and web mode
//   dist/hosts/serve.mjs    web mode server            (esbuild, ESM)
//   dist/electron/*.{mjs,cjs}  Electron main, preload (CJS: sandboxed preloads cannot be ESM), engine process
//   dist/bench/bench.mjs    npm run bench (dist/bench/remoteBench.mjs: npm run bench:remote)
// Packages stay external: node-llama-cpp loads native binaries relative to its own folder.
import { build } from "esbuild";
import { build as viteBuild } from "vite";
import { existsSync } from "node:fs";

const node = { bundle: true, platform: "node", target: "node20", packages: "external", sourcemap: true, logLevel: "warning" };
const esm = { ...node, format: "esm", outExtension: { ".js": ".mjs" } };
const only = process.argv.includes("--node-only");

await build({ ...esm, entryPoints: { serve: "engine/hosts/serve.ts", validatePersona: "engine/hosts/validatePersona.ts", validateLab: "engine/hosts/validateLab.ts" }, outdir: "dist/hosts" });
await build({ ...esm, entryPoints: { cli: "engine/hosts/cli.ts" }, outdir: "dist/hosts", banner: { js: "#!/usr/bin/env node" } });
await build({ ...esm, entryPoints: { bench: "bench/bench.ts", remoteBench: "bench/remoteBench.ts" }, outdir: "dist/bench" });
await build({ ...esm, entryPoints: { schema: "scripts/schema.ts" }, outdir: "dist/scripts" });
if (existsSync("electron/main.ts")) {
  await build({ ...esm, entryPoints: { main: "electron/main.ts", engineProcess: "electron/engineProcess.ts" }, outdir: "dist/electron", external: ["electron"] });
  await build({ ...node, format: "cjs", entryPoints: { preload: "electron/preload.ts" }, outdir: "dist/electron", outExtension: { ".js": ".cjs" }, external: ["electron"] });
}
if (!only) await viteBuild({ configFile: "vite.config.ts", logLevel: "warn" });
