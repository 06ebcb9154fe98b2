/**
 * Daily new counts: the difference of consecutive cumulative values. The first day of a series has
 * no previous day, so its daily value is unknown (null) rather than the whole cumulative count,
 * which would lump everything reported before the series began into one day. A drop in the
 * cumulative series (a data correction) gives a negative daily value, kept as it is.
 */
export function dailyChanges(cumulative: readonly number[]): Array<number | null> {
  return cumulative.map((value, i) => (i === 0 ? null : value - cumulative[i - 1]));
}

/**
 * Trailing 7-day average of daily values: the mean of the day and the 6 days before it, rounded to
 * 2 decimals. It is null until 7 daily values exist (no averages over shorter windows, which would
 * swing wildly), so in a full series it starts on the 8th day. Negative days count as they are:
 * the average then equals the net change of the cumulative series over the week divided by 7, so a
 * correction lowers it and nothing is hidden or double-counted.
 */
export function sevenDayAverage(daily: ReadonlyArray<number | null>): Array<number | null> {
  const averages: Array<number | null> = [];
  let sum = 0;
  let known = 0;
  for (let i = 0; i < daily.length; i++) {
    const entering = daily[i];
    if (entering !== null) {
      sum += entering;
      known++;
    }
    const leaving = i >= 7 ? daily[i - 7] : null;
    if (leaving !== null) {
      sum -= leaving;
      known--;
    }
    averages.push(known === 7 ? Math.round((sum / 7) * 100) / 100 : null);
  }
  return averages;
}

/** A run of at least this many days without a change counts as a reporting gap. */
const SILENT_RUN_DAYS = 5;
/** Gaps at most this many days apart belong to the same weekly-reporting stretch. */
const MAX_DAYS_BETWEEN_GAPS = 3;
/** The weeks before a stretch must look like daily reporting: */
const DAYS_BEFORE = 28;
/** most of those days have a change, */
const DAILY_SHARE_BEFORE = 0.8;
/** and the mean is large enough that several days in a row with no new case are implausible. */
const MIN_MEAN_BEFORE = 10;

/**
 * Stretches where a series changed from daily to weekly (or rarer) reporting: at least two runs
 * of 5 or more days without any change, each followed by a total, after weeks in which almost
 * every day had a change and the daily mean was at least 10. Returns inclusive index ranges
 * `[first silent day, last report]`; a stretch still going when the series ends runs to its end.
 * Small outbreaks with truly quiet days are not matched, because the weeks before them were
 * quiet too.
 */
export function weeklyReportingStretches(
  daily: ReadonlyArray<number | null>,
): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  for (let i = 0; i < daily.length; i++) {
    if (daily[i] !== 0) continue;
    let end = i;
    while (end + 1 < daily.length && daily[end + 1] === 0) end++;
    // A run reaching the end of the series is not yet followed by a total.
    if (end - i + 1 >= SILENT_RUN_DAYS && end + 1 < daily.length) gaps.push([i, end]);
    i = end;
  }
  const stretches: Array<[number, number]> = [];
  for (let k = 0; k < gaps.length; k++) {
    let last = k;
    while (
      last + 1 < gaps.length &&
      gaps[last + 1][0] - gaps[last][1] - 1 <= MAX_DAYS_BETWEEN_GAPS
    ) {
      last++;
    }
    const start = gaps[k][0];
    if (last > k && reportedDailyBefore(daily, start)) {
      const lastReport = gaps[last][1] + 1;
      const end = daily.length - 1 - lastReport <= 7 ? daily.length - 1 : lastReport;
      stretches.push([start, end]);
    }
    k = last;
  }
  return stretches;
}

function reportedDailyBefore(daily: ReadonlyArray<number | null>, start: number): boolean {
  if (start < DAYS_BEFORE) return false;
  const before = daily.slice(start - DAYS_BEFORE, start);
  const changed = before.filter((value) => value !== null && value !== 0).length;
  const sum = before.reduce<number>((total, value) => total + (value ?? 0), 0);
  return changed >= DAILY_SHARE_BEFORE * DAYS_BEFORE && sum / DAYS_BEFORE >= MIN_MEAN_BEFORE;
}

/** `value` per million people, rounded to 3 decimals; null stays null. */
export function perMillion(value: number | null, population: number): number | null {
  return value === null ? null : Math.round((value * 1e9) / population) / 1000;
}
