import type { GeneratedToken } from "../../engine/common/protocol.js";

/** At most one store update per frame: a tiny model streams thousands of tokens a second. */
const FLUSH_MS = 16;

/**
 * Streamed tokens of one job, gathered per branch and handed to the store at most once per
 * frame. The playground's completion (one branch) and the tree's generations (N branches)
 * each keep one; `deliver` receives the job and what arrived since the last flush.
 */
export class TokenBuffer {
  private jobId: string | null = null;
  private pending = new Map<number, GeneratedToken[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deliver: (jobId: string | null, byBranch: Map<number, GeneratedToken[]>) => void) {}

  /** A new job starts: whatever an older one left is dropped. */
  reset(jobId: string): void {
    this.pending = new Map();
    this.jobId = jobId;
  }

  push(jobId: string, branch: number, tokens: readonly GeneratedToken[]): void {
    if (this.jobId !== jobId) this.reset(jobId);
    const list = this.pending.get(branch);
    if (list === undefined) this.pending.set(branch, [...tokens]);
    else list.push(...tokens);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Delivers what is pending now (before a job's final reply is applied). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const pendingNow = this.pending;
    this.pending = new Map();
    if (pendingNow.size > 0) this.deliver(this.jobId, pendingNow);
  }
}
