// Lint enforces the direction of imports, so reviewers don't have to:
//   renderer -> engine/common (types only); electron -> engine; engine imports neither;
//   engine/common imports no node:* module and no node-llama-cpp.
import tseslint from "typescript-eslint";

// The renderer imports engine/common for types only (schemas and protocol would pull zod and
// engine code into the UI bundle), except these pure modules it runs on the mirror.
const rendererValueModules = [
  "errors", "samplerDefaults", "bridge", "hash",
  "project/queries", "project/commands", "project/transcript", "project/patch",
  "persona/tracker", "persona/hmm", "persona/labels",
  "formats/catalog", "lore/activation",
];

const nodeBuiltins = ["node:*", "fs", "fs/*", "path", "os", "crypto", "http", "https", "net", "child_process", "worker_threads", "url", "stream", "events", "util", "zlib"];

export default tseslint.config(
  { ignores: ["dist/**", ".tsbuild/**", "node_modules/**", "test-results/**", "playwright-report/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["engine/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["electron", "react", "react-dom", "react/*", "zustand", "**/renderer/**", "**/electron/**"], message: "engine/ never imports electron, react, the renderer or the Electron layer." },
      ] }],
    },
  },
  {
    files: ["engine/common/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: nodeBuiltins, message: "engine/common is pure: no node:* imports (put it in engine/node)." },
        { group: ["node-llama-cpp", "ws", "electron", "react", "react-dom", "zustand", "../node/*", "../hosts/*", "**/renderer/**", "**/electron/**"], message: "engine/common imports nothing host-specific." },
      ] }],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: nodeBuiltins, message: "The renderer has no Node: talk to the engine through engineClient.ts." },
        { group: ["electron", "node-llama-cpp", "ws", "**/engine/node/**", "**/engine/hosts/**", "**/electron/**"], message: "The renderer may import only engine/common (types), never the engine's Node side or Electron." },
        { group: ["zustand", "zustand/*"], message: "Only renderer/state/ imports the store library." },
      ] }],
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [
        {
          regex: `(^|/)engine/common/(?!(${rendererValueModules.join("|")})\\.js$)`,
          allowTypeImports: true,
          message: "The renderer imports engine/common as `import type` only; runtime code from it is limited to the pure modules listed in eslint.config.js (rendererValueModules).",
        },
      ] }],
    },
  },
  {
    files: ["renderer/state/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: nodeBuiltins, message: "The renderer has no Node." },
        { group: ["electron", "node-llama-cpp", "**/engine/node/**", "**/engine/hosts/**", "**/electron/**"], message: "The renderer may import only engine/common." },
      ] }],
    },
  },
  {
    files: ["electron/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["react", "react-dom", "zustand", "**/renderer/**"], message: "electron/ never imports the renderer." },
      ] }],
    },
  },
  {
    files: ["electron/preload.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["**/engine/node/**", "**/engine/hosts/**", "node-llama-cpp", ...nodeBuiltins], message: "The sandboxed preload only bridges IPC: it may import engine/common and electron." },
      ] }],
    },
  },
);
