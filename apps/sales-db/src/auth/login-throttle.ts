import { Logger } from '@nestjs/common';

export interface ThrottleSettings {
  maxFailures: number;
  windowMs: number;
}

/** Keys tracked at most; beyond that the oldest are forgotten (memory stays bounded under attack). */
const MAX_KEYS = 50_000;

/**
 * Counts failed logins per user name and per client address over a sliding window. Once either
 * reaches the limit, further attempts are refused (429) until the oldest failure leaves the
 * window; each lock-out is logged once, when it starts.
 */
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `name` from `address` may try again, or 0 when it may try now. */
  retryAfterSeconds(name: string, address: string): number {
    const waitMs = Math.max(this.waitMs(`user:${name}`), this.waitMs(`address:${address}`));
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  recordFailure(name: string, address: string): void {
    for (const key of [`user:${name}`, `address:${address}`]) {
      const times = this.recent(key);
      times.push(this.now());
      this.failures.delete(key); // re-insert: Map order is then least recently failed first
      this.failures.set(key, times);
      if (times.length === this.settings.maxFailures) {
        this.logger.warn(
          { key, failures: times.length, windowSeconds: this.settings.windowMs / 1000 },
          'too many failed logins: refusing further attempts for a while',
        );
      }
    }
    while (this.failures.size > MAX_KEYS) {
      this.failures.delete(this.failures.keys().next().value!);
    }
  }

  /** A successful login clears its user name's failures (not its address's). */
  recordSuccess(name: string): void {
    this.failures.delete(`user:${name}`);
  }

  private waitMs(key: string): number {
    const times = this.recent(key);
    if (times.length < this.settings.maxFailures) return 0;
    return times[times.length - this.settings.maxFailures] + this.settings.windowMs - this.now();
  }

  private recent(key: string): number[] {
    const since = this.now() - this.settings.windowMs;
    const times = (this.failures.get(key) ?? []).filter((time) => time > since);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
