import { Quarter, quarterOfMinute } from './selection.rules';

/** Injection token of the clock that decides the current quarter (tests inject a fixed one). */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The quarter of the hour of the clock's time (server's local time), recomputed only when the
 * clock leaves the quarter it last saw: the hot path pays one comparison, not a Date.
 */
export class QuarterClock {
  private quarter: Quarter = 1;
  private from = 0;
  private until = -1;

  constructor(private readonly clock: Clock) {}

  current(): Quarter {
    const now = this.clock.now();
    if (now >= this.from && now < this.until) return this.quarter;
    const date = new Date(now);
    this.quarter = quarterOfMinute(date.getMinutes());
    date.setMinutes((this.quarter - 1) * 15, 0, 0);
    this.from = date.getTime();
    this.until = this.from + 15 * 60_000;
    return this.quarter;
  }
}
