import { hash } from 'node:crypto';
import isFQDN from 'validator/lib/isFQDN';

// Compared lower-case with dots removed, so `Dr`, `dr.` and `DR.` match, and `Ph.D.` is `phd`.
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'md', 'phd', 'dds', 'dvm']);

// Longest is `d.d.s.`; longer words are never compared.
const MAX_AFFIX = 6;
const bare = (token: string) =>
  token.length > MAX_AFFIX ? token : token.replace(/\./g, '').toLowerCase();

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
  // Single-spaced names split on ' '; commas, tabs or runs of spaces take the regex.
  const words = /[\t\n\r\f\v,]| {2}/.test(raw.trim())
    ? raw.split(/[\s,]+/).filter((word) => word !== '')
    : raw
        .trim()
        .split(' ')
        .filter((word) => word !== '');
  let start = 0;
  let end = words.length;
  while (start < end && TITLES.has(bare(words[start]))) start += 1;
  while (end > start && SUFFIXES.has(bare(words[end - 1]))) end -= 1;
  if (start === end) return undefined;
  return {
    firstName: end - start === 2 ? words[start] : words.slice(start, end - 1).join(' '),
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

// RFC 5322 dot-atom: atoms of atext separated by single dots (no quoted local parts).
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * The lower-cased address must end in one of the allowed endings (`.com` lets `x@a.com` pass
 * and `x@a.com.sg` fail; `@emailprovider.com` is the stricter reading) and be syntactically
 * valid: one `@`; a local part of at most 64 characters that is an RFC 5322 dot-atom; a domain
 * that validator's isFQDN accepts with a TLD required (labels of letters, digits and inner
 * hyphens, no IP literals). Domain verdicts are cached: the same few recur across a batch.
 */
export class EmailRule {
  private readonly domains = new Map<string, boolean>();

  constructor(private readonly allowedEndings: readonly string[]) {}

  check(raw: string): { email: string; problem?: string } {
    const email = raw.trim().toLowerCase();
    if (email === '') return { email, problem: 'missing' };
    // The cheap ending test first: most failing addresses fail it, sparing the full parse.
    if (!this.allowedEndings.some((ending) => email.endsWith(ending))) {
      return { email, problem: `must end in ${this.allowedEndings.join(' or ')}` };
    }
    return this.isValid(email) ? { email } : { email, problem: 'not a valid address' };
  }

  private isValid(email: string): boolean {
    const at = email.indexOf('@');
    if (at < 1 || at > 64 || email.length > 254 || email.indexOf('@', at + 1) >= 0) return false;
    if (!LOCAL_PART.test(email.slice(0, at))) return false;
    const domain = email.slice(at + 1);
    let valid = this.domains.get(domain);
    if (valid === undefined) {
      valid = isFQDN(domain, { require_tld: true, allow_underscores: false });
      if (this.domains.size > 10_000) this.domains.clear();
      this.domains.set(domain, valid);
    }
    return valid;
  }
}

/** `<last_name>_<first 5 hex of SHA-256(YYYYMMDD)>`; the hash is cached per birthday. */
export class MembershipIds {
  private readonly byBirthday = new Map<number, string>();

  idFor(lastName: string, birthday: number): string {
    let hex = this.byBirthday.get(birthday);
    if (hex === undefined) {
      // The one-shot hash: a Hash object per new birthday cost several microseconds.
      hex = hash('sha256', String(birthday)).slice(0, 5);
      this.byBirthday.set(birthday, hex);
    }
    return `${lastName}_${hex}`;
  }
}
