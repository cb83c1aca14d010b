import { defineConfig } from "@playwright/test";

// E2E runs Debian's Chromium (no browser download) against web mode; each spec starts its
// own server on a free loopback port. One worker: llama.cpp and a 2-core machine.
export default defineConfig({
  testDir: "tests/e2e",
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    launchOptions: {
      executablePath: process.env.MASQUE_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
    viewport: { width: 1400, height: 900 },
  },
});
