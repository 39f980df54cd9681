/**
 * A sliding-window rate limit per key (e.g. questions per user per minute), in memory.
 *
 *   const limit = new RateLimiter(10, 60_000);
 *   if (!limit.take(userId)) reply("Bạn hỏi nhanh quá…");
 */
export class RateLimiter {
  private hits = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a hit and returns true when the key is still under its limit. */
  take(key: string): boolean {
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((h) => t - h < this.windowMs);
    if (recent.length >= this.max) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(t);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(t);
    return true;
  }

  /** Milliseconds until the key may try again. */
  retryInMs(key: string): number {
    const recent = this.hits.get(key) ?? [];
    return recent.length < this.max ? 0 : Math.max(0, this.windowMs - (this.now() - recent[0]!));
  }

  private prune(t: number) {
    for (const [k, v] of this.hits) if (v.every((h) => t - h >= this.windowMs)) this.hits.delete(k);
  }
}
