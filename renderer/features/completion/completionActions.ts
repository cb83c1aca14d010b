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

/** Starts a completion of the prompt with the form's settings; tokens stream in through events. */
export async function generate(): Promise<void> {
  const state = readEngineState();
  if (state.job?.status === "running" || state.loaded === null || state.loadingPath !== null) return;
  const form = useCompletionSettings.get();
  const parsed = parseSettings(form);
  if (!parsed.ok) return;
  const { sampling, maxTokens, seed, stop } = parsed.value;
  const jobId = newJobId();
  engineActions.startJob(jobId, form.prompt);
  try {
    const result = await engine.call("complete", {
      jobId,
      prompt: form.prompt,
      maxTokens,
      sampling,
      ...(seed !== undefined ? { seed } : {}),
      ...(stop.length > 0 ? { stop } : {}),
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
