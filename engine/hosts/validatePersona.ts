// `npm run validate:persona -- --model M.gguf [--persona FILE|NAME] [--transcripts N] [--segment N]`
// Known-switch validation of the persona tracker on any GGUF; prints a report.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LlamaRuntime } from "../node/llamaRuntime.js";
import { formatReport, validatePersona } from "../node/validation/personaValidation.js";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    persona: { type: "string", default: "agreeableness" },
    "persona-dir": { type: "string", default: resolve("../shared/data/anthropic-evals-persona") },
    transcripts: { type: "string", default: "8" },
    segment: { type: "string", default: "6" },
    seed: { type: "string", default: "1" },
    threads: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
if (!values.model) {
  console.error("usage: npm run validate:persona -- --model M.gguf [--persona agreeableness] [--transcripts 8] [--segment 6] [--json]");
  process.exit(2);
}
const personaFile = existsSync(values.persona!) ? values.persona! : join(values["persona-dir"]!, `${values.persona}.jsonl`);
const runtime = new LlamaRuntime();
try {
  await runtime.load({ path: resolve(values.model), gpu: "auto", ...(values.threads ? { threads: Number(values.threads) } : {}) });
  const report = await validatePersona(runtime, {
    personaFile,
    transcripts: Number(values.transcripts),
    segment: Number(values.segment),
    seed: Number(values.seed),
    examplesPerFrame: 4,
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
} catch (error) {
  console.error(`validate:persona failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await runtime.dispose();
}
