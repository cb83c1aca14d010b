import { resolve } from "node:path";
import { readModelDetails } from "../node/modelDetails.js";

type Values = Record<string, string | boolean | undefined>;

/** Thrown for a wrong command line (exit code 2); cli.ts prints the usage. */
export class ModelUsageError extends Error {}

/**
 * `masque model info FILE`: a GGUF's details as JSON (architecture, parameters, context,
 * vocabulary, size, sha256…) from its header, without loading the weights. A missing file,
 * a file that is not GGUF, a truncated one or an old GGUF v1 fails with a message saying so
 * (the same inspection and errors the app's model library uses).
 */
export const modelCommand = {
  summary: "show a GGUF model file's details as JSON",
  usage: "masque model info FILE.gguf",
  details: ["Prints architecture, parameter count, training context, vocabulary, file size and sha256.", "Exit code 1 with a message for a missing, non-GGUF, truncated or unsupported file."],
  positionals: true,
  options: { help: { type: "boolean", short: "h" } },
  async run(_values: Values, io: { out(text: string): void }, positionals: string[] = []): Promise<void> {
    const [verb, file, ...extra] = positionals;
    if (verb !== "info") throw new ModelUsageError(verb === undefined ? "Say info FILE." : `Unknown model command ${JSON.stringify(verb)} (info).`);
    if (file === undefined) throw new ModelUsageError("FILE is required.");
    if (extra.length > 0) throw new ModelUsageError(`Unexpected ${JSON.stringify(extra[0])}.`);
    const details = await readModelDetails(resolve(file), { sha256: true });
    io.out(JSON.stringify(details, null, 2) + "\n");
  },
};
