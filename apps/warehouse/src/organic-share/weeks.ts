import { PERIOD } from './dto/organic-share.query';

const DAY = 86_400_000;

/** Midnight UTC of the Monday of ISO week 1 (the week holding 4 January, always week 1). */
function week1Monday(year: number): number {
  const january4 = Date.UTC(year, 0, 4);
  const isoWeekday = (new Date(january4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return january4 - isoWeekday * DAY;
}

/** The Monday of ISO week `week` of ISO year `year`, or undefined when that year has no such week. */
export function isoWeekMonday(year: number, week: number): Date | undefined {
  const monday = week1Monday(year) + (week - 1) * 7 * DAY;
  return monday < week1Monday(year + 1) ? new Date(monday) : undefined;
}

export class PeriodError extends Error {}

/**
 * A `YYYY-MM` or `YYYY-Www` period as an inclusive range of week_start days: a month covers the
 * weeks starting within it; an ISO week covers itself.
 */
export function periodDays(period: string, field: string): { first: string; last: string } {
  const match = PERIOD.exec(period);
  if (!match) throw new PeriodError(`${field} must be a month YYYY-MM or an ISO week YYYY-Www`);
  const year = Number(match[1]);
  if (match[2]) {
    const month = Number(match[2]);
    return { first: isoDay(Date.UTC(year, month - 1, 1)), last: isoDay(Date.UTC(year, month, 0)) };
  }
  const monday = isoWeekMonday(year, Number(match[3]));
  if (!monday) throw new PeriodError(`${field}: ISO year ${year} has no week ${match[3]}`);
  return { first: isoDay(monday.getTime()), last: isoDay(monday.getTime()) };
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);
