import { MasqueError } from "../../common/errors.js";
import type { RemoteEndpointInfo } from "../../common/remoteEngine.js";
import { requestJson, type RequestOptions } from "./endpointHttp.js";

/** One endpoint of a pool and its live state. */
export interface PoolMember {
  readonly index: number;
  readonly base: string;
  readonly info: RemoteEndpointInfo;
  inFlight: number;
  /** While down, no new request goes here; after this time a health check may bring it back. */
  downUntil: number;
}

/**
 * Replicas of one model behind several base URLs. Each has a concurrency limit (requests in
 * flight); a request goes to its preferred endpoint (so a rollout keeps hitting the same
 * server's prompt cache) when it has room, else to the least loaded healthy one, else waits.
 * A failed endpoint is taken out for a cool-down and comes back after a passing health check.
 */
export class EndpointPool {
  readonly members: PoolMember[];
  private waiters: (() => void)[] = [];

  constructor(
    infos: readonly { base: string; info: RemoteEndpointInfo }[],
    private readonly request: () => RequestOptions,
    private readonly coolDownMs = 2000,
  ) {
    this.members = infos.map((e, index) => ({ index, base: e.base, info: e.info, inFlight: 0, downUntil: 0 }));
  }

  /** Requests the pool keeps in flight at most. */
  get capacity(): number {
    return this.members.reduce((sum, m) => sum + m.info.concurrency, 0);
  }

  /**
   * A member with room for one more request, not in `exclude`. Waits while every usable
   * member is full; fails when none is usable (all excluded, or down and failing health checks).
   */
  async acquire(preferred: number, exclude: ReadonlySet<PoolMember>, signal: AbortSignal, errors: readonly string[]): Promise<PoolMember> {
    for (;;) {
      if (signal.aborted) throw new MasqueError("cancelled", "Cancelled.");
      const usable: PoolMember[] = [];
      for (const m of this.members) {
        if (exclude.has(m)) continue;
        if (m.downUntil > Date.now()) continue;
        if (!m.info.healthy && !(await this.healthCheck(m))) continue;
        usable.push(m);
      }
      if (usable.length === 0) {
        const reasons = errors.length > 0 ? errors : this.members.map((m) => m.info.lastError ?? `${m.base} is down`);
        throw new MasqueError("remote-failed", `No endpoint could serve the request: ${[...new Set(reasons)].join("; ")}`);
      }
      const free = usable.filter((m) => m.inFlight < m.info.concurrency);
      const pick = free.find((m) => m.index === preferred % this.members.length) ?? free.sort((a, b) => a.inFlight / a.info.concurrency - b.inFlight / b.info.concurrency)[0];
      if (pick !== undefined) {
        pick.inFlight++;
        return pick;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
  }

  release(member: PoolMember): void {
    member.inFlight--;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Takes a member out after a failure that was the server's, not the request's. */
  markDown(member: PoolMember, reason: string): void {
    member.info.healthy = false;
    member.info.lastError = reason;
    member.downUntil = Date.now() + this.coolDownMs;
  }

  private async healthCheck(member: PoolMember): Promise<boolean> {
    const ok = await requestJson(member.base, "/v1/models", undefined, { ...this.request(), firstByteMs: 3000, idleMs: 3000 }).then(
      () => true,
      () => false,
    );
    if (ok) {
      member.info.healthy = true;
      member.info.lastError = null;
    } else member.downUntil = Date.now() + this.coolDownMs;
    return ok;
  }
}
