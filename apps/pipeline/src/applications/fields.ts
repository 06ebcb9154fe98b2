import { createHash } from 'node:crypto';
import isEmail from 'validator/lib/isEmail';

// Compared lower-case with dots removed, so `Dr`, `dr.` and `DR.` match, and `Ph.D.` is `phd`.
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'md', 'phd', 'dds', 'dvm']);

const bare = (token: string) => token.replace(/\./g, '').toLowerCase();

export interface PersonName {
  firstName: string;
  lastName: string;
}

/**
 * Removes leading titles and trailing suffixes, then splits: the last word is the last name,
 * everything before it the first name. A one-word name is a last name with an empty first
 * name (the passport convention for mononyms), so every member id starts with a name.
 * Undefined when nothing but titles and suffixes (or nothing at all) is left.
 */
export function splitName(raw: string): PersonName | undefined {
  const words = raw.split(/[\s,]+/).filter((word) => word !== '');
  let start = 0;
  let end = words.length;
  while (start < end && TITLES.has(bare(words[start]))) start += 1;
  while (end > start && SUFFIXES.has(bare(words[end - 1]))) end -= 1;
  if (start === end) return undefined;
  return {
    firstName: words.slice(start, end - 1).join(' '),
    lastName: words[end - 1],
  };
}

const DIGIT_GROUPS = /^\d+(?:\s+\d+)*$/;

/** 8 digits after removing whitespace between digit groups; any other character fails. */
export function cleanMobile(raw: string): { digits: string } | { problem: string } {
  const value = raw.trim();
  if (value === '') return { problem: 'missing' };
  if (!DIGIT_GROUPS.test(value)) return { problem: 'may hold only digits and spaces' };
  const digits = value.replace(/\s+/g, '');
  return digits.length === 8 ? { digits } : { problem: `must be 8 digits (has ${digits.length})` };
}

/**
 * Syntax is judged by validator's isEmail (RFC 5322 addresses as people type them: no quoted
 * local parts, no IP-literal domains, a TLD required); then the lower-cased address must end
 * in one of the allowed endings (`.com` lets `x@a.com` pass and `x@a.com.sg` fail;
 * `@emailprovider.com` is the stricter reading).
 */
export function checkEmail(
  raw: string,
  allowedEndings: readonly string[],
): { email: string; problem?: string } {
  const email = raw.trim().toLowerCase();
  if (email === '') return { email, problem: 'missing' };
  if (!isEmail(email, { require_tld: true, allow_ip_domain: false })) {
    return { email, problem: 'not a valid address' };
  }
  if (!allowedEndings.some((ending) => email.endsWith(ending))) {
    return { email, problem: `must end in ${allowedEndings.join(' or ')}` };
  }
  return { email };
}

/** `<last_name>_<first 5 hex of SHA-256(YYYYMMDD)>`; the hash is cached per birthday. */
export class MembershipIds {
  private readonly byBirthday = new Map<number, string>();

  idFor(lastName: string, birthday: number): string {
    let hex = this.byBirthday.get(birthday);
    if (hex === undefined) {
      hex = createHash('sha256').update(String(birthday)).digest('hex').slice(0, 5);
      this.byBirthday.set(birthday, hex);
    }
    return `${lastName}_${hex}`;
  }
}
