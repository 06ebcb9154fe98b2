import { SUCCESSFUL_APPLICATION_COLUMNS } from '@des/shared/schemas';
import { isAtLeast, rangeProblem, Ymd } from './birthday';
import { cleanMobile, EmailRule, MembershipIds, splitName } from './fields';

/** One CSV row as received. */
export interface RawApplication {
  name: string;
  email: string;
  dateOfBirth: string;
  mobileNo: string;
}

export interface RuleSettings {
  /** Applicants must be at least `minAge` on this date (YYYYMMDD). */
  referenceDate: Ymd;
  minAge: number;
  emailEndings: readonly string[];
  /** Birthdays after this day are impossible. */
  today: Ymd;
}

/** A birthday after format reading and the batch's field-order decision. */
export type Birthday = { ymd: Ymd } | { problem: string };

export const SUCCESS_HEADER = SUCCESSFUL_APPLICATION_COLUMNS;
/**
 * The raw values as received, then what could be cleaned from them (empty where a field did
 * not parse), then why the row failed and where it came from.
 */
export const FAILED_HEADER = [
  'name',
  'email',
  'date_of_birth',
  'mobile_no',
  'first_name',
  'last_name',
  'clean_date_of_birth',
  'clean_mobile_no',
  'above_18',
  'failure_reasons',
  'source_file',
  'line',
];

/**
 * The reasons a row can fail, each a bit of a failed row's `reasonBits`: the run counts its
 * failed rows per reason (a row failing two rules counts for both).
 */
export const FAILURE_REASONS = [
  'name',
  'mobile_no',
  'date_of_birth',
  'ambiguous_date',
  'contradicting_date_order',
  'under_age',
  'email',
  'row_fields',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
const bit = (reason: FailureReason) => 1 << FAILURE_REASONS.indexOf(reason);
export const ROW_FIELDS_BIT = bit('row_fields');
const NAME = bit('name');
const MOBILE = bit('mobile_no');
const DATE = bit('date_of_birth');
const AMBIGUOUS = bit('ambiguous_date');
const CONTRADICTING = bit('contradicting_date_order');
const UNDER_AGE = bit('under_age');
const EMAIL = bit('email');

/** Adds a failed row's reasons (FAILURE_REASONS bits) to per-reason counts. */
export function countReasons(counts: Uint32Array, bits: number): void {
  for (let reason = 0; bits !== 0; reason++, bits >>>= 1) {
    if (bits & 1) counts[reason] += 1;
  }
}

/** Per-reason counts by name, only the reasons that occurred. */
export function reasonCounts(counts: Uint32Array): Partial<Record<FailureReason, number>> {
  const named: Partial<Record<FailureReason, number>> = {};
  counts.forEach((count, reason) => {
    if (count > 0) named[FAILURE_REASONS[reason]] = count;
  });
  return named;
}

export type Evaluation =
  | {
      ok: true;
      /** The successful output row, in SUCCESS_HEADER order. */
      row: string[];
      membershipId: string;
      /** Who holds the id: two different people on one id is a collision. */
      person: readonly string[];
      /**
       * Equal (ASCII case aside) for rows that describe the same application after cleaning.
       * Reused by the next evaluate(): fingerprint it before evaluating another row.
       */
      duplicateKey: readonly string[];
    }
  | {
      ok: false;
      reasons: string[];
      /** One bit per FAILURE_REASONS entry that failed. */
      reasonBits: number;
      above18: '' | 'true' | 'false';
      /** First and last name, birthday as YYYYMMDD, mobile digits: empty where not derived. */
      cleaned: readonly string[];
      duplicateKey: readonly string[];
    };

/** The four rules; an application is successful only if all hold. */
export class ApplicationRules {
  private readonly ids = new MembershipIds();
  private readonly emailRule: EmailRule;
  private readonly underAge: string;
  // Scratch arrays: one row's keys are hashed before the next row is evaluated.
  private readonly duplicateKey = ['', '', '', '', ''];
  private readonly person = ['', '', '', ''];
  private readonly cleaned = ['', '', '', ''];
  /** `field: problem` texts by field, then problem: built once per distinct problem. */
  private readonly problemReasons = new Map<string, Map<string, string>>();

  constructor(private readonly settings: RuleSettings) {
    this.emailRule = new EmailRule(settings.emailEndings);
    const ref = String(settings.referenceDate);
    const label = `${ref.slice(0, 4)}-${ref.slice(4, 6)}-${ref.slice(6)}`;
    this.underAge = `date_of_birth: under ${settings.minAge} on ${label}`;
  }

  /** `field: problem`, built once per distinct problem rather than once per row. */
  private reason(field: string, problem: string): string {
    let reasons = this.problemReasons.get(field);
    if (!reasons) this.problemReasons.set(field, (reasons = new Map()));
    let reason = reasons.get(problem);
    if (reason === undefined) {
      reason = `${field}: ${problem}`;
      if (reasons.size < 10_000) reasons.set(problem, reason);
    }
    return reason;
  }

  evaluate(raw: RawApplication, birthday: Birthday): Evaluation {
    const reasons: string[] = [];
    let reasonBits = 0;

    const name = splitName(raw.name);
    if (!name) {
      reasons.push('name: missing');
      reasonBits |= NAME;
    }

    const mobile = cleanMobile(raw.mobileNo);
    if ('problem' in mobile) {
      reasons.push(this.reason('mobile_no', mobile.problem));
      reasonBits |= MOBILE;
    }

    let above18: '' | 'true' | 'false' = '';
    let ymd: Ymd | undefined;
    if ('problem' in birthday) {
      reasons.push(`date_of_birth: ${birthday.problem}`);
      reasonBits |= birthday.problem.startsWith('ambiguous')
        ? AMBIGUOUS
        : birthday.problem.startsWith('contradicts')
          ? CONTRADICTING
          : DATE;
    } else {
      const problem = rangeProblem(birthday.ymd, this.settings.today);
      if (problem) {
        reasons.push(this.reason('date_of_birth', problem));
        reasonBits |= DATE;
      } else {
        ymd = birthday.ymd;
        const adult = isAtLeast(this.settings.minAge, ymd, this.settings.referenceDate);
        above18 = adult ? 'true' : 'false';
        if (!adult) {
          reasons.push(this.underAge);
          reasonBits |= UNDER_AGE;
        }
      }
    }

    const email = this.emailRule.check(raw.email);
    if (email.problem) {
      reasons.push(this.reason('email', email.problem));
      reasonBits |= EMAIL;
    }

    const birthdayKey = ymd === undefined ? raw.dateOfBirth.trim() : String(ymd);
    const duplicateKey = this.duplicateKey;
    duplicateKey[0] = name ? name.firstName : raw.name.trim();
    duplicateKey[1] = name ? name.lastName : '';
    duplicateKey[2] = email.email;
    duplicateKey[3] = birthdayKey;
    duplicateKey[4] = 'digits' in mobile ? mobile.digits : raw.mobileNo.trim();

    if (reasons.length > 0 || !name || ymd === undefined || !('digits' in mobile)) {
      const cleaned = this.cleaned;
      cleaned[0] = name ? name.firstName : '';
      cleaned[1] = name ? name.lastName : '';
      cleaned[2] = 'ymd' in birthday ? String(birthday.ymd) : '';
      cleaned[3] = 'digits' in mobile ? mobile.digits : '';
      return { ok: false, reasons, reasonBits, above18, cleaned, duplicateKey };
    }
    const membershipId = this.ids.idFor(name.lastName, ymd);
    return {
      ok: true,
      row: [
        name.firstName,
        name.lastName,
        // As the applicant wrote it: the rule compares it lower-cased, the output keeps it.
        raw.email.trim(),
        birthdayKey,
        mobile.digits,
        'true',
        membershipId,
      ],
      membershipId,
      person: this.personOf(duplicateKey),
      duplicateKey,
    };
  }

  private personOf(key: readonly string[]): readonly string[] {
    for (let i = 0; i < this.person.length; i++) this.person[i] = key[i];
    return this.person;
  }
}
