import type { TokenAlternative } from "../../../engine/common/protocol.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { engineActions, readEngineState } from "../../state/engineState";
import { parseSettings, useCompletionSettings } from "./completionSettings";

const TOP_LOGPROBS = 5;

/** A job id the engine accepts (/^[A-Za-z0-9_-]{1,64}$/). */
export function newJobId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID().replaceAll("-", "");
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function isGenerating(): boolean {
  return readEngineState().job?.status === "running";
}

/**
 * The last request as the engine saw it: a fork keeps the prompt text and extends the forced
 * token ids, so the tokens before the fork point are the exact ones shown, not re-tokenized.
 */
let lastRequest: { jobId: string; prompt: string; forced: number[] } | null = null;

/** Starts a completion of the prompt with the form's settings; tokens stream in through events. */
export function generate(): Promise<void> {
  return run(useCompletionSettings.get().prompt, null, []);
}

/**
 * Branches the last completion at token `index`: keeps the tokens before it, forces `tokenId`
 * and generates on from there with the form's settings (the prompt box is left as it is).
 */
export function forkCompletion(index: number, alternative: TokenAlternative): Promise<void> {
  const job = readEngineState().job;
  if (job === null || job.status === "running" || lastRequest === null || lastRequest.jobId !== job.jobId) return Promise.resolve();
  const tokens = job.chunks.flat().slice(0, index);
  const shown = job.prompt + tokens.map((t) => t.text).join("") + alternative.text;
  return run(lastRequest.prompt, shown, [...lastRequest.forced, ...tokens.map((t) => t.id), alternative.id]);
}

async function run(prompt: string, shownPrompt: string | null, forced: number[]): Promise<void> {
  const state = readEngineState();
  if (state.job?.status === "running" || state.loaded === null || state.loadingPath !== null) return;
  const parsed = parseSettings(useCompletionSettings.get());
  if (!parsed.ok) return;
  const { sampling, maxTokens, seed, stop } = parsed.value;
  const jobId = newJobId();
  lastRequest = { jobId, prompt, forced };
  engineActions.startJob(jobId, shownPrompt ?? prompt);
  try {
    const result = await engine.call("complete", {
      jobId,
      prompt,
      maxTokens,
      sampling,
      ...(seed !== undefined ? { seed } : {}),
      ...(stop.length > 0 ? { stop } : {}),
      ...(forced.length > 0 ? { forcedTokens: forced } : {}),
      topLogprobs: TOP_LOGPROBS,
    });
    engineActions.finishJob(result);
  } catch (error) {
    engineActions.failJob(jobId, errorPayloadOf(error));
  }
}

/** Asks the engine to stop the running job; its reply then arrives with stopReason "cancelled". */
export async function cancel(): Promise<void> {
  const job = readEngineState().job;
  if (job === null || job.status !== "running" || job.cancelling) return;
  engineActions.cancelRequested(job.jobId);
  try {
    await engine.call("cancel", { jobId: job.jobId });
  } catch {
    // The job may have finished meanwhile; its reply settles the UI either way.
  }
}

/** Appends the last completion's text to the prompt, to keep writing from where it stopped. */
export function appendToPrompt(): void {
  const job = readEngineState().job;
  if (job?.result == null) return;
  useCompletionSettings.set({ prompt: job.prompt + job.result.text });
}

/** The playground's text (prompt and output) as the root of a new tree, in the open project or a new one. */
export function playgroundText(): string {
  const job = readEngineState().job;
  if (job === null) return useCompletionSettings.get().prompt;
  return job.prompt + (job.result?.text ?? job.chunks.flat().map((t) => t.text).join(""));
}
