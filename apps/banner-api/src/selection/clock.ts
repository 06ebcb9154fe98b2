import { Quarter, quarterOfMinute } from './selection.rules';

/** Injection token of the clock that decides the current quarter (tests inject a fixed one). */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The quarter of the hour of the clock's time in `timeZone` (UTC by default, so replicas in
 * different zones agree), or `fixed` when pinned (BANNER_FIXED_QUARTER, for tests). Recomputed only
 * when the clock leaves the quarter it last saw: the hot path pays one comparison, not a Date.
 */
export class QuarterClock {
  private quarter: Quarter = 1;
  private from = 0;
  private until = -1;
  private readonly minutes: Intl.DateTimeFormat;

  constructor(
    private readonly clock: Clock,
    timeZone = 'UTC',
    private readonly fixed?: number,
  ) {
    this.minutes = new Intl.DateTimeFormat('en-GB', { timeZone, minute: 'numeric' });
  }

  current(): Quarter {
    if (this.fixed !== undefined) return this.fixed as Quarter;
    const now = this.clock.now();
    if (now >= this.from && now < this.until) return this.quarter;
    // Every zone's offset is a whole number of minutes: only the minute needs the zone.
    const minute = Number(this.minutes.format(now));
    this.quarter = quarterOfMinute(minute);
    const intoQuarter = (minute % 15) * 60_000 + (now % 60_000);
    this.from = now - intoQuarter;
    this.until = this.from + 15 * 60_000;
    return this.quarter;
  }
}
