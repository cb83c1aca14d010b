import { MasqueError } from "../errors.js";

/** Running jobs by id; `cancel` aborts one, closing the engine aborts them all. */
export type JobMap = Map<string, AbortController>;

/**
 * Runs `run` as the job `jobId`: refuses an id already running, hands `run` the signal that
 * `cancel` aborts, and forgets the job however it ends.
 */
export async function runJob<T>(jobs: JobMap, jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (jobs.has(jobId)) throw new MasqueError("bad-request", `Job ${jobId} is already running.`);
  const controller = new AbortController();
  jobs.set(jobId, controller);
  try {
    return await run(controller.signal);
  } finally {
    jobs.delete(jobId);
  }
}
