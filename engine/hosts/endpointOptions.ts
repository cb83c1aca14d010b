import { MasqueError } from "../common/errors.js";
import type { Experiment, ProjectState } from "../common/project/types.js";
import { engineDialects, plainHttpKeyWarning, type EngineDialect, type RemoteConnectArgs } from "../common/remoteEngine.js";

/**
 * The command line's remote-engine options: `--endpoint URL` (repeatable: a pool of
 * replicas), `--server-model NAME`, `--dialect`, `--concurrency N`, and the API key, read
 * from an environment variable (MASQUE_API_KEY, or the one `--api-key-env` names) so it
 * never appears in a command line, a shell history, or anything Masque writes.
 */
export const endpointCliOptions = {
  endpoint: { type: "string", multiple: true },
  "server-model": { type: "string" },
  dialect: { type: "string" },
  concurrency: { type: "string" },
  "api-key-env": { type: "string" },
} as const;

export const endpointCliHelp = [
  "--endpoint    an OpenAI-compatible server (vLLM, llama-server, SGLang) instead of --model;",
  "              repeat it for a pool of replicas of one model",
  "--server-model  the model id the servers serve (default: their only one)",
  "--concurrency requests in flight per endpoint (default: the server's slots, or 8)",
  "--dialect     llama-server, vllm, sglang or openai (default: detected)",
  "--api-key-env the environment variable holding the API key (default MASQUE_API_KEY)",
];

export interface EndpointChoice {
  connect: RemoteConnectArgs;
  apiKey: () => string | undefined;
}

/** The remote engine asked for on the command line, or null when there is no --endpoint. */
export function endpointChoice(values: Record<string, unknown>, warn: (line: string) => void): EndpointChoice | null {
  const urls = values.endpoint;
  if (urls === undefined) return null;
  const list = (Array.isArray(urls) ? urls : [urls]).map(String);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new MasqueError("bad-request", "--concurrency must be a whole number ≥ 1.");
  const dialect = values.dialect === undefined ? undefined : String(values.dialect);
  if (dialect !== undefined && !(engineDialects as readonly string[]).includes(dialect)) throw new MasqueError("bad-request", `--dialect must be one of ${engineDialects.join(", ")}.`);
  const keyVar = typeof values["api-key-env"] === "string" ? values["api-key-env"] : "MASQUE_API_KEY";
  const apiKey = () => process.env[keyVar] || undefined;
  for (const url of list) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new MasqueError("bad-request", `--endpoint ${JSON.stringify(url)} is not a URL (e.g. http://127.0.0.1:8080).`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new MasqueError("bad-request", `--endpoint ${url}: only http:// and https:// are supported.`);
    if (parsed.username !== "" || parsed.password !== "") throw new MasqueError("bad-request", `--endpoint ${parsed.host}: put the key in $${keyVar}, not in the URL.`);
    const warning = apiKey() === undefined ? null : plainHttpKeyWarning(parsed, `$${keyVar}`);
    if (warning !== null) warn(`warning: ${warning}`);
  }
  return {
    connect: {
      endpoints: list.map((url) => ({ url, ...(concurrency === undefined ? {} : { concurrency }) })),
      ...(typeof values["server-model"] === "string" ? { serverModel: values["server-model"] } : {}),
      ...(dialect === undefined ? {} : { dialect: dialect as EngineDialect }),
    },
    apiKey,
  };
}

/** An unfinished experiment in a project with exactly this spec and model, which a rerun resumes. */
export function resumableExperiment(state: ProjectState, want: { condition: string; rollouts: number; turns: number; seed: number; maxTokens: number; labeller: string; modelSha256: string }): Experiment | null {
  for (const e of state.experiments.values()) {
    const s = e.spec;
    if (e.status === "complete" || e.modelSha256 !== want.modelSha256) continue;
    if (s.condition === want.condition && s.rollouts === want.rollouts && s.turns === want.turns && s.seed === want.seed && s.maxTokens === want.maxTokens && s.labeller === want.labeller) return e;
  }
  return null;
}
