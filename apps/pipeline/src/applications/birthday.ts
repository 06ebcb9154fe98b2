/** Field order of an `NN/NN/YYYY` or `NN-NN-YYYY` birthday. */
export type FieldOrder = 'month-first' | 'day-first';
export type AmbiguousSeparator = '/' | '-';

/** A calendar date as the number YYYYMMDD (compares and prints as the output format). */
export type Ymd = number;

/** What one birthday value says on its own, before the batch's evidence is known. */
export type BirthdayReading =
  | { kind: 'date'; ymd: Ymd; evidence?: { separator: AmbiguousSeparator; order: FieldOrder } }
  /** Valid and different under both field orders: needs the batch's evidence. */
  | { kind: 'ambiguous'; separator: AmbiguousSeparator; monthFirst: Ymd; dayFirst: Ymd }
  | { kind: 'invalid'; problem: string };

// The three digit groups of the value being read, and how many digits each has; reused.
const groups = [0, 0, 0];
const digitCounts = [0, 0, 0];

/**
 * Splits `digits S digits S digits` (S one `-` or `/`, the same twice) into `groups` and
 * `digitCounts`, and returns S's character code; 0 for anything else. A loop over the
 * characters, not a regex with captures: it runs for every row.
 */
function readGroups(value: string): number {
  let group = 0;
  let separator = 0;
  groups[0] = groups[1] = groups[2] = 0;
  digitCounts[0] = digitCounts[1] = digitCounts[2] = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      // More than 4 digits fail below; stop the number from growing past exactness.
      if (digitCounts[group] < 5) groups[group] = groups[group] * 10 + (code - 48);
      digitCounts[group] += 1;
    } else if ((code === 45 || code === 47) && group < 2 && digitCounts[group] > 0) {
      if (group === 1 && code !== separator) return 0;
      separator = code;
      group += 1;
    } else {
      return 0;
    }
  }
  return group === 2 && digitCounts[2] > 0 ? separator : 0;
}

const isDayOrMonth = (digits: number) => digits === 1 || digits === 2;

/** The documented defaults when a batch holds no evidence for a separator. */
export const DEFAULT_ORDER: Record<AmbiguousSeparator, FieldOrder> = {
  '/': 'month-first',
  '-': 'day-first',
};

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function toYmd(year: number, month: number, day: number): Ymd | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return year * 10000 + month * 100 + day;
}

/**
 * Reads `YYYY-MM-DD`, `YYYY/MM/DD`, `NN/NN/YYYY` and `NN-NN-YYYY` (one- or two-digit fields).
 * A year-last value valid under only one field order is evidence for that order.
 */
const EVIDENCE = {
  '/': {
    'month-first': { separator: '/', order: 'month-first' },
    'day-first': { separator: '/', order: 'day-first' },
  },
  '-': {
    'month-first': { separator: '-', order: 'month-first' },
    'day-first': { separator: '-', order: 'day-first' },
  },
} as const;

export function readBirthday(raw: string): BirthdayReading {
  const value = raw.trim();
  if (value === '') return { kind: 'invalid', problem: 'missing' };
  const separatorCode = readGroups(value);
  const twoShort = separatorCode !== 0 && isDayOrMonth(digitCounts[1]);
  if (twoShort && digitCounts[0] === 4 && isDayOrMonth(digitCounts[2])) {
    const ymd = toYmd(groups[0], groups[1], groups[2]);
    return ymd === undefined
      ? { kind: 'invalid', problem: `impossible date "${value}"` }
      : { kind: 'date', ymd };
  }
  if (!twoShort || !isDayOrMonth(digitCounts[0]) || digitCounts[2] !== 4) {
    return { kind: 'invalid', problem: `unrecognised format "${value}"` };
  }
  const separator: AmbiguousSeparator = separatorCode === 47 ? '/' : '-';
  const first = groups[0];
  const second = groups[1];
  const year = groups[2];
  const monthFirst = toYmd(year, first, second);
  const dayFirst = toYmd(year, second, first);
  if (monthFirst === undefined && dayFirst === undefined) {
    return { kind: 'invalid', problem: `impossible date "${value}"` };
  }
  if (dayFirst === undefined) {
    return { kind: 'date', ymd: monthFirst!, evidence: EVIDENCE[separator]['month-first'] };
  }
  if (monthFirst === undefined) {
    return { kind: 'date', ymd: dayFirst, evidence: EVIDENCE[separator]['day-first'] };
  }
  // 05/05/1990 reads the same either way.
  if (monthFirst === dayFirst) return { kind: 'date', ymd: monthFirst };
  return { kind: 'ambiguous', separator, monthFirst, dayFirst };
}

export interface OrderDecision {
  /** Undefined when the batch's evidence contradicts itself: no reading is safe. */
  order: FieldOrder | undefined;
  basis: 'evidence' | 'default' | 'conflicting evidence';
  monthFirstEvidence: number;
  dayFirstEvidence: number;
  /** Unambiguous values against the order taken: failed rows of their own. */
  contradicting: number;
  /** Ambiguous values read in the order taken (or failed, without one). */
  ambiguous: number;
}

/** The share of a separator's unambiguous values that must agree for their order to be taken. */
export const DEFAULT_ORDER_SHARE = 0.99;

/** Counts, per separator, the values whose field order is certain, then decides the rest. */
export class BirthdayEvidence {
  private readonly counts: Record<AmbiguousSeparator, Record<FieldOrder, number>> = {
    '/': { 'month-first': 0, 'day-first': 0 },
    '-': { 'month-first': 0, 'day-first': 0 },
  };

  constructor(private readonly share = DEFAULT_ORDER_SHARE) {}

  add(reading: BirthdayReading): void {
    if (reading.kind === 'date' && reading.evidence) {
      this.counts[reading.evidence.separator][reading.evidence.order] += 1;
    }
  }

  /** True when a value of this order is not outweighed by the other order so far. */
  leads(separator: AmbiguousSeparator, order: FieldOrder): boolean {
    const counts = this.counts[separator];
    return counts[order] >= counts[order === 'month-first' ? 'day-first' : 'month-first'];
  }

  /**
   * An order is taken when at least `share` of the separator's unambiguous values agree; the
   * others contradict it. Below that the evidence conflicts; with none, the default holds.
   */
  decide(separator: AmbiguousSeparator, ambiguous = 0): OrderDecision {
    const monthFirstEvidence = this.counts[separator]['month-first'];
    const dayFirstEvidence = this.counts[separator]['day-first'];
    const total = monthFirstEvidence + dayFirstEvidence;
    const base = { monthFirstEvidence, dayFirstEvidence, ambiguous };
    if (total === 0) {
      return { ...base, order: DEFAULT_ORDER[separator], basis: 'default', contradicting: 0 };
    }
    if (monthFirstEvidence >= this.share * total) {
      return { ...base, order: 'month-first', basis: 'evidence', contradicting: dayFirstEvidence };
    }
    if (dayFirstEvidence >= this.share * total) {
      return { ...base, order: 'day-first', basis: 'evidence', contradicting: monthFirstEvidence };
    }
    return { ...base, order: undefined, basis: 'conflicting evidence', contradicting: 0 };
  }
}

/** Why a value valid in only one order fails: the file's dates take the other order. */
export function contradictionProblem(
  value: string,
  separator: AmbiguousSeparator,
  decision: OrderDecision,
): string {
  const agreeing = Math.max(decision.monthFirstEvidence, decision.dayFirstEvidence);
  const total = decision.monthFirstEvidence + decision.dayFirstEvidence;
  return (
    `contradicts the file's date order: "${value.trim()}" is only valid ${decision.order === 'month-first' ? 'day' : 'month'}-first, ` +
    `but ${agreeing} of ${total} "${separator}" dates are ${decision.order}`
  );
}

/** The date an ambiguous value stands for under the batch's decision, or why there is none. */
export function resolveAmbiguous(
  reading: Extract<BirthdayReading, { kind: 'ambiguous' }>,
  decision: OrderDecision,
): { ymd: Ymd } | { problem: string } {
  if (decision.order === undefined) {
    return {
      problem: `ambiguous date: the file's "${reading.separator}" dates are too mixed to take an order (${decision.monthFirstEvidence} month-first, ${decision.dayFirstEvidence} day-first)`,
    };
  }
  return { ymd: decision.order === 'month-first' ? reading.monthFirst : reading.dayFirst };
}

/** Birthdays before 1900 or after today are impossible for an applicant. */
export function rangeProblem(ymd: Ymd, today: Ymd): string | undefined {
  if (ymd < 19000101) return 'before 1900';
  if (ymd > today) return 'in the future';
  return undefined;
}

/** At least `minAge` years old on `reference`; a 29 February birthday ages on 1 March in common years. */
export function isAtLeast(minAge: number, birthday: Ymd, reference: Ymd): boolean {
  return birthday + minAge * 10000 <= reference;
}

export function ymdOf(date: Date): Ymd {
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/** Parses a configured `YYYY-MM-DD` (strictly) into YYYYMMDD. */
export function parseIsoDate(value: string): Ymd | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? toYmd(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
}
