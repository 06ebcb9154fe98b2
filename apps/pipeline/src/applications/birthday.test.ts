import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BirthdayEvidence,
  isAtLeast,
  parseIsoDate,
  rangeProblem,
  readBirthday,
  resolveAmbiguous,
} from './birthday';

const dateOf = (raw: string) => {
  const reading = readBirthday(raw);
  assert.equal(reading.kind, 'date', `${raw} should read as a date`);
  return reading.kind === 'date' ? reading.ymd : undefined;
};

describe('readBirthday', () => {
  it('reads the four formats of the issue', () => {
    assert.equal(dateOf('1990-07-15'), 19900715);
    assert.equal(dateOf('1990/07/15'), 19900715);
    assert.equal(dateOf('07/15/1990'), 19900715); // month first: 15 cannot be a month
    assert.equal(dateOf('15-07-1990'), 19900715); // day first: 15 cannot be a month
    assert.equal(dateOf(' 1990-7-5 '), 19900705);
  });

  it('reads exactly what the two format regexes accept, as they read it', () => {
    // The formats as regexes: the reader is a hand-written loop, this is what it must match.
    const yearFirst = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;
    const yearLast = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$/;
    const alphabet = '0123456789-/ .x٣';
    let seed = 25;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const values = [
      '1990-1-2',
      '1990-01-02/',
      '-1990-01-02',
      '1990--01-02',
      '1-2-3456',
      '12/3/04567',
    ];
    for (let n = 0; n < 20_000; n++) {
      let value = '';
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i++) {
        // Mostly digits and separators, so many values come near a format.
        value +=
          random() < 0.7
            ? String(Math.floor(random() * 10))
            : alphabet[Math.floor(random() * alphabet.length)];
      }
      values.push(value);
    }
    for (const value of values) {
      const reading = readBirthday(value);
      const trimmed = value.trim();
      const shape = yearFirst.test(trimmed) || yearLast.test(trimmed);
      const unrecognised = reading.kind === 'invalid' && reading.problem.startsWith('unrecognised');
      assert.equal(!unrecognised, shape || trimmed === '', value);
      const match = yearFirst.exec(trimmed);
      if (match && reading.kind === 'date') {
        assert.equal(
          reading.ymd,
          Number(match[1]) * 10000 + Number(match[3]) * 100 + Number(match[4]),
        );
      }
      const last = yearLast.exec(trimmed);
      if (last && reading.kind === 'ambiguous') {
        assert.equal(reading.separator, last[2]);
        assert.equal(
          reading.monthFirst,
          Number(last[4]) * 10000 + Number(last[1]) * 100 + Number(last[3]),
        );
      }
    }
  });

  it('rejects impossible dates, including 1996/02/31', () => {
    for (const raw of [
      '1996/02/31',
      '2001-04-31',
      '1999/13/01',
      '02/30/1990',
      '31-02-1985',
      '00/10/1990',
    ]) {
      const reading = readBirthday(raw);
      assert.equal(reading.kind, 'invalid', raw);
      assert.match(reading.kind === 'invalid' ? reading.problem : '', /impossible date/);
    }
  });

  it('knows 29 February only in leap years', () => {
    assert.equal(dateOf('2000-02-29'), 20000229);
    assert.equal(dateOf('1996/02/29'), 19960229);
    assert.equal(readBirthday('2001-02-29').kind, 'invalid');
    assert.equal(readBirthday('1900-02-29').kind, 'invalid'); // century, not divisible by 400
    assert.equal(readBirthday('29-02-2003').kind, 'invalid');
  });

  it('rejects empty and unknown formats', () => {
    assert.deepEqual(readBirthday(''), { kind: 'invalid', problem: 'missing' });
    for (const raw of ['Jan 5 1990', '1990.05.01', '19900501', '5/1/90', '1990-05-01T00:00']) {
      assert.match((readBirthday(raw) as { problem: string }).problem, /unrecognised format/);
    }
  });

  it('marks values valid in both orders as ambiguous and same-either-way values as dates', () => {
    assert.deepEqual(readBirthday('03/04/1990'), {
      kind: 'ambiguous',
      separator: '/',
      monthFirst: 19900304,
      dayFirst: 19900403,
    });
    assert.equal(dateOf('05/05/1990'), 19900505);
  });

  it('treats a value valid in one order only as evidence for that order', () => {
    assert.deepEqual(readBirthday('12/31/1990'), {
      kind: 'date',
      ymd: 19901231,
      evidence: { separator: '/', order: 'month-first' },
    });
    assert.deepEqual(readBirthday('31-12-1990'), {
      kind: 'date',
      ymd: 19901231,
      evidence: { separator: '-', order: 'day-first' },
    });
  });
});

describe('ambiguous dates and the batch evidence', () => {
  const ambiguous = (raw: string) =>
    readBirthday(raw) as Extract<ReturnType<typeof readBirthday>, { kind: 'ambiguous' }>;

  it('uses the documented defaults without evidence: slash month first, dash day first', () => {
    const evidence = new BirthdayEvidence();
    assert.deepEqual(resolveAmbiguous(ambiguous('03/04/1990'), evidence.decide('/')), {
      ymd: 19900304,
    });
    assert.deepEqual(resolveAmbiguous(ambiguous('03-04-1990'), evidence.decide('-')), {
      ymd: 19900403,
    });
    assert.equal(evidence.decide('/').basis, 'default');
  });

  it('follows the evidence of the same separator, even against the default', () => {
    const evidence = new BirthdayEvidence();
    evidence.add(readBirthday('25/12/1980')); // slash, day first
    evidence.add(readBirthday('12-25-1980')); // dash, month first
    evidence.add(readBirthday('1980-12-25')); // says nothing about either
    const slash = evidence.decide('/');
    assert.equal(slash.order, 'day-first');
    assert.equal(slash.basis, 'evidence');
    assert.equal(slash.dayFirstEvidence, 1);
    assert.deepEqual(resolveAmbiguous(ambiguous('03/04/1990'), slash), { ymd: 19900403 });
    assert.deepEqual(resolveAmbiguous(ambiguous('03-04-1990'), evidence.decide('-')), {
      ymd: 19900304,
    });
  });

  it('reads nothing when the evidence contradicts itself', () => {
    const evidence = new BirthdayEvidence();
    evidence.add(readBirthday('25/12/1980'));
    evidence.add(readBirthday('12/25/1980'));
    const decision = evidence.decide('/');
    assert.equal(decision.order, undefined);
    assert.equal(decision.basis, 'conflicting evidence');
    const result = resolveAmbiguous(ambiguous('03/04/1990'), decision);
    assert.match((result as { problem: string }).problem, /ambiguous date/);
  });
});

describe('age and range', () => {
  const reference = parseIsoDate('2022-01-01')!;

  it('counts someone born on 2004-01-01 as over 18 on 2022-01-01, and 2004-01-02 not', () => {
    assert.equal(isAtLeast(18, 20040101, reference), true);
    assert.equal(isAtLeast(18, 20040102, reference), false);
    assert.equal(isAtLeast(18, 20031231, reference), true);
  });

  it('ages a 29 February birthday on 1 March in common years', () => {
    assert.equal(isAtLeast(18, 20040229, 20220228), false);
    assert.equal(isAtLeast(18, 20040229, 20220301), true);
    assert.equal(isAtLeast(18, 20000229, 20180228), false);
    assert.equal(isAtLeast(18, 20000229, 20180301), true);
  });

  it('rejects birthdays before 1900 and in the future', () => {
    assert.equal(rangeProblem(18991231, 20261121), 'before 1900');
    assert.equal(rangeProblem(19000101, 20261121), undefined);
    assert.equal(rangeProblem(20261121, 20261121), undefined);
    assert.equal(rangeProblem(20261122, 20261121), 'in the future');
  });

  it('parses only strict YYYY-MM-DD reference dates', () => {
    assert.equal(parseIsoDate('2022-01-01'), 20220101);
    assert.equal(parseIsoDate('2022-02-30'), undefined);
    assert.equal(parseIsoDate('01/01/2022'), undefined);
  });
});
