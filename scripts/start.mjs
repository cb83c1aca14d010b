// `npm start` (after the build): launches the Electron app when an Electron binary is installed,
// and falls back to web mode when it is not (as on machines where the binary cannot be
// downloaded: the `electron` package installs fine without it).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The Electron executable, or null. The package's index.js throws when its dist/ was never downloaded. */
function electronBinary() {
  try {
    const binary = createRequire(import.meta.url)("electron");
    return typeof binary === "string" && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary === null) {
  console.log(
    "No Electron binary is installed here (it is downloaded separately: run `npm run electron:install` where you have network access). Starting web mode instead.",
  );
}
const [command, args] = binary === null ? [process.execPath, [join(root, "dist", "hosts", "serve.mjs")]] : [binary, ["."]];
const child = spawn(command, args, { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(`Could not start ${command}: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal === null ? 1 : 128 + (signal === "SIGINT" ? 2 : 15))));
