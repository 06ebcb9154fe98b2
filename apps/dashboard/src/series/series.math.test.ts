import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromEpochDay, toEpochDay } from './dates';
import { dailyChanges, perMillion, sevenDayAverage, weeklyReportingStretches } from './series.math';

describe('dailyChanges', () => {
  it('is the difference of consecutive cumulative values, unknown on the first day', () => {
    assert.deepEqual(dailyChanges([0, 1, 3, 3, 4]), [null, 1, 2, 0, 1]);
  });

  it('keeps drops in the cumulative series as negative days', () => {
    assert.deepEqual(dailyChanges([10, 15, 12, 20]), [null, 5, -3, 8]);
  });

  it('handles empty and single-day series', () => {
    assert.deepEqual(dailyChanges([]), []);
    assert.deepEqual(dailyChanges([548]), [null]);
  });
});

describe('sevenDayAverage', () => {
  it('is null until seven daily values exist, then the trailing mean', () => {
    const daily = dailyChanges([0, 7, 14, 21, 28, 35, 42, 49, 63]);
    assert.deepEqual(sevenDayAverage(daily), [null, null, null, null, null, null, null, 7, 8]);
  });

  it('never averages over a short window on the first days', () => {
    assert.deepEqual(sevenDayAverage([1, 2, 3, 4, 5, 6]), [null, null, null, null, null, null]);
    assert.deepEqual(sevenDayAverage([1, 2, 3, 4, 5, 6, 7]).at(-1), 4);
  });

  it('counts negative days as they are: the net weekly change over 7', () => {
    const cumulative = [0, 10, 20, 30, 40, 50, 60, 70, 65, 75];
    const daily = dailyChanges(cumulative);
    const avg = sevenDayAverage(daily);
    assert.equal(avg[7], 10);
    assert.equal(avg[8], Math.round(((65 - 10) / 7) * 100) / 100);
    assert.equal(avg[9], Math.round(((75 - 20) / 7) * 100) / 100);
  });

  it('can be negative when a week is dominated by a correction', () => {
    const avg = sevenDayAverage([0, 0, 0, 0, 0, 0, -70]);
    assert.equal(avg[6], -10);
  });

  it('rounds to two decimals', () => {
    assert.equal(sevenDayAverage([1, 1, 1, 1, 1, 1, 4]).at(-1), 1.43);
  });
});

describe('epoch days', () => {
  it('round-trips real dates and rejects impossible ones', () => {
    const day = toEpochDay('2020-02-29');
    assert.equal(typeof day, 'number');
    assert.equal(fromEpochDay(day!), '2020-02-29');
    assert.equal(toEpochDay('2021-02-29'), undefined);
    assert.equal(toEpochDay('2021-13-01'), undefined);
    assert.equal(toEpochDay('20210101'), undefined);
    assert.equal(toEpochDay('2023-03-09')! - toEpochDay('2020-01-22')!, 1142);
  });
});

describe('weeklyReportingStretches', () => {
  const week = (total: number) => [0, 0, 0, 0, 0, 0, total];
  const dailyDays = (days: number, value = 100) => Array.from({ length: days }, () => value);

  it('finds the change from daily to weekly reporting, running to the end of the series', () => {
    const daily = [null, ...dailyDays(40), ...week(700), ...week(650), ...week(600), 0];
    assert.deepEqual(weeklyReportingStretches(daily), [[41, daily.length - 1]]);
  });

  it('ends a stretch where daily reporting resumes', () => {
    const daily = [null, ...dailyDays(40), ...week(700), ...week(650), ...dailyDays(30)];
    assert.deepEqual(weeklyReportingStretches(daily), [[41, 54]]);
  });

  it('ignores a single quiet week and quiet days in a series that was quiet before', () => {
    assert.deepEqual(
      weeklyReportingStretches([null, ...dailyDays(40), ...week(700), ...dailyDays(20)]),
      [],
    );
    const sporadic = [null, ...Array.from({ length: 60 }, (_, i) => (i % 9 === 0 ? 2 : 0))];
    assert.deepEqual(weeklyReportingStretches(sporadic), []);
    const small = [null, ...dailyDays(40, 3), ...week(20), ...week(20)];
    assert.deepEqual(weeklyReportingStretches(small), [], 'a mean of 3 a day can have quiet weeks');
  });
});

describe('perMillion', () => {
  it('scales by the population, rounded to 3 decimals, and keeps null', () => {
    assert.equal(perMillion(2_235_294, 5_850_343), 382_079.136);
    assert.equal(perMillion(1, 51_269_183), 0.02);
    assert.equal(perMillion(null, 1000), null);
  });
});
