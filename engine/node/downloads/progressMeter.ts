/**
 * Throughput over a sliding window of recent samples, so the speed and ETA a user sees
 * follow the connection as it is now, not the average since the download began (which a
 * resumed download, whose first bytes came from disk, would make meaningless).
 */
export class ProgressMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  /** Forget the history (a new connection: a pause or reconnect must not count as slow transfer). */
  reset(): void {
    this.samples = [];
  }

  /** Records that `bytes` had arrived at time `t` (ms). */
  sample(bytes: number, t: number): void {
    this.samples.push({ t, bytes });
    const cutoff = t - this.windowMs;
    // Keep one sample at or before the cutoff so the window always spans windowMs once full.
    while (this.samples.length > 2 && this.samples[1]!.t <= cutoff) this.samples.shift();
  }

  /** Bytes per second across the window; 0 until two samples at least 100 ms apart exist. */
  get bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined) return 0;
    const ms = last.t - first.t;
    if (ms < 100) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / ms);
  }

  /** Seconds left at the current speed, or null when the total or the speed is unknown. */
  etaSeconds(received: number, total: number | null): number | null {
    if (total === null) return null;
    if (received >= total) return 0;
    const speed = this.bytesPerSecond;
    return speed > 0 ? Math.ceil((total - received) / speed) : null;
  }
}
