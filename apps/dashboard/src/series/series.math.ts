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
