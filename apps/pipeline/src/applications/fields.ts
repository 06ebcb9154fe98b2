import { hash } from 'node:crypto';
import isFQDN from 'validator/lib/isFQDN';

// Compared lower-case with dots removed, so `Dr`, `dr.` and `DR.` match, and `Ph.D.` is `phd`.
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'md', 'phd', 'dds', 'dvm']);

// Longest is `d.d.s.`; longer words are never compared.
const MAX_AFFIX = 6;
function isAffix(affixes: Set<string>, name: string, start: number, end: number): boolean {
  if (end - start > MAX_AFFIX) return false;
  const word = name.slice(start, end);
  // Most words hold no dot: no replace for them.
  return affixes.has((word.includes('.') ? word.replace(/\./g, '') : word).toLowerCase());
}

const OTHER_WHITESPACE = /\s/;
/** A comma, or whitespace as the regex `\s` (and String.prototype.trim) knows it. */
const separates = (code: number) =>
  code === 32 ||
  code === 44 ||
  (code >= 9 && code <= 13) ||
  (code > 127 && OTHER_WHITESPACE.test(String.fromCharCode(code)));

// Where each word of the name being split starts and ends; reused, names are split one by one.
const wordStarts: number[] = [];
const wordEnds: number[] = [];

export interface PersonName {
  firstName: string;
  lastName: string;
}

/**
 * Splits on whitespace and commas, removes leading titles and trailing suffixes: the last word
 * is the last name, everything before it the first name (words joined by one space); a name
 * written `Last, First` (a comma between the words kept) is read that way round. A one-word
 * name is a last name with an empty first name (the passport convention for mononyms), so every
 * member id starts with a name. Undefined when nothing but titles and suffixes (or nothing at
 * all) is left. One pass over the characters: this runs for every row of every batch.
 */
export function splitName(raw: string): PersonName | undefined {
  wordStarts.length = 0;
  wordEnds.length = 0;
  for (let i = 0; i < raw.length;) {
    while (i < raw.length && separates(raw.charCodeAt(i))) i += 1;
    if (i === raw.length) break;
    wordStarts.push(i);
    while (i < raw.length && !separates(raw.charCodeAt(i))) i += 1;
    wordEnds.push(i);
  }
  let start = 0;
  let end = wordStarts.length;
  while (start < end && isAffix(TITLES, raw, wordStarts[start], wordEnds[start])) start += 1;
  while (end > start && isAffix(SUFFIXES, raw, wordStarts[end - 1], wordEnds[end - 1])) end -= 1;
  if (start === end) return undefined;
  const comma = raw.indexOf(',') < 0 ? -1 : commaBetweenWords(raw, start, end);
  if (comma > 0) {
    // `Lee, Mary Ann`: the last name first, then the first name (after any title).
    let first = comma;
    while (first < end && isAffix(TITLES, raw, wordStarts[first], wordEnds[first])) first += 1;
    return { firstName: wordsOf(raw, first, end), lastName: wordsOf(raw, start, comma) };
  }
  const last = end - 1;
  return {
    firstName: wordsOf(raw, start, last),
    lastName: raw.slice(wordStarts[last], wordEnds[last]),
  };
}

/** The first word after a comma (between the words kept), or -1. */
function commaBetweenWords(raw: string, start: number, end: number): number {
  for (let w = start + 1; w < end; w++) {
    const gap = raw.indexOf(',', wordEnds[w - 1]);
    if (gap >= 0 && gap < wordStarts[w]) return w;
  }
  return -1;
}

/** Words `first` to `last - 1` joined by one space: a slice of the name when it already is. */
function wordsOf(raw: string, first: number, last: number): string {
  if (first === last) return '';
  let singleSpaced = true;
  for (let w = first + 1; w < last && singleSpaced; w++) {
    singleSpaced = wordStarts[w] === wordEnds[w - 1] + 1 && raw.charCodeAt(wordEnds[w - 1]) === 32;
  }
  if (singleSpaced) return raw.slice(wordStarts[first], wordEnds[last - 1]);
  const words: string[] = [];
  for (let w = first; w < last; w++) words.push(raw.slice(wordStarts[w], wordEnds[w]));
  return words.join(' ');
}

const DIGIT_GROUPS = /^\d+(?:\s+\d+)*$/;

function onlyDigits(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

const cleanDigitGroups = (value: string) =>
  DIGIT_GROUPS.test(value) ? value.replace(/\s+/g, '') : undefined;

/** 8 digits after removing whitespace between digit groups; any other character fails. */
export function cleanMobile(raw: string): { digits: string } | { problem: string } {
  const value = raw.trim();
  if (value === '') return { problem: 'missing' };
  // Nearly every value is digits only: no regex, no replace.
  const digits = onlyDigits(value) ? value : cleanDigitGroups(value);
  if (digits === undefined) return { problem: 'may hold only digits and spaces' };
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
  private readonly wrongEnding: string;

  constructor(private readonly allowedEndings: readonly string[]) {
    this.wrongEnding = `must end in ${allowedEndings.join(' or ')}`;
  }

  check(raw: string): { email: string; problem?: string } {
    const email = raw.trim().toLowerCase();
    if (email === '') return { email, problem: 'missing' };
    // The cheap ending test first: most failing addresses fail it, sparing the full parse.
    if (!this.hasAllowedEnding(email)) return { email, problem: this.wrongEnding };
    return this.isValid(email) ? { email } : { email, problem: 'not a valid address' };
  }

  private hasAllowedEnding(email: string): boolean {
    for (let i = 0; i < this.allowedEndings.length; i++) {
      if (email.endsWith(this.allowedEndings[i])) return true;
    }
    return false;
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
