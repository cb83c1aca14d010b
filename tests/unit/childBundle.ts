/**
 * esbuild options for bundling a test's child program as an ES module: CommonJS packages in
 * the bundle (proper-lockfile) call `require`, which an ES module lacks unless given one.
 */
export const nodeEsmBundle = {
  banner: { js: "import { createRequire as __masqueRequire } from 'node:module'; const require = __masqueRequire(import.meta.url);" },
} as const;
