import { seededRandom } from '@des/shared';
import { textPool } from './text-pool';

/** One supplier row, every value as the text dbgen would write. */
export interface SupplierRow {
  s_suppkey: number;
  s_name: string;
  s_address: string;
  s_nationkey: number;
  s_phone: string;
  /** Exact, two decimals, e.g. `-283.84`. */
  s_acctbal: string;
  s_comment: string;
}

/** Clause 4.2.2.7: v-strings draw from at least 64 alphanumeric characters; ours are exactly 64. */
const ADDRESS_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, ';
const POOL_SIZE = 1 << 20;

/** SF × 10,000 suppliers (clause 4.2.3); fractional scales give smaller tables. */
export const supplierCount = (scale: number) => Math.round(scale * 10_000);

/**
 * The rows of the TPC-H supplier table at a scale factor, generated one at a time from a seed
 * (clause 4.2.3, written from the specification):
 * - key 1..SF×10,000; name `Supplier#` + the key zero-padded to 9 digits;
 * - address a random v-string of 10 to 40 characters;
 * - nationkey uniform in 0..24; phone `CC-ddd-ddd-dddd` with CC = nationkey + 10 (clause 4.2.2.9:
 *   local parts uniform in 100..999, 100..999, 1000..9999);
 * - acctbal uniform in -999.99..9,999.99, exact to the cent;
 * - comment a text string of 25 to 100 characters; SF×5 rows (exactly, chosen by selection
 *   sampling) hold `Customer…Complaints` and another SF×5 `Customer…Recommends` at a random position.
 * The same seed gives the same rows whatever the files are split into.
 */
export function* supplierRows(scale: number, seed = 1): Generator<SupplierRow> {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pool = textPool(random, POOL_SIZE);
  const rows = supplierCount(scale);
  let complaints = Math.round(scale * 5);
  let recommends = Math.round(scale * 5);
  for (let key = 1; key <= rows; key++) {
    const nationkey = between(0, 24);
    const cents = between(-99_999, 999_999);
    let comment = pool.substr(between(0, POOL_SIZE - 101), between(25, 100));
    // Selection sampling: each remaining row is chosen with probability needed / remaining.
    const remaining = rows - key + 1;
    const draw = random() * remaining;
    if (draw < complaints) {
      comment = withCustomerNote(comment, 'Complaints', between);
      complaints -= 1;
    } else if (draw < complaints + recommends) {
      comment = withCustomerNote(comment, 'Recommends', between);
      recommends -= 1;
    }
    yield {
      s_suppkey: key,
      s_name: `Supplier#${String(key).padStart(9, '0')}`,
      s_address: vString(between(10, 40), between),
      s_nationkey: nationkey,
      s_phone: `${nationkey + 10}-${between(100, 999)}-${between(100, 999)}-${between(1000, 9999)}`,
      s_acctbal: formatCents(cents),
      s_comment: comment,
    };
  }
}

function vString(length: number, between: (low: number, high: number) => number): string {
  let text = '';
  for (let i = 0; i < length; i++)
    text += ADDRESS_ALPHABET[between(0, ADDRESS_ALPHABET.length - 1)];
  return text;
}

/** `Customer` … `Complaints` written over the comment at a random place; the length is kept. */
function withCustomerNote(
  comment: string,
  word: 'Complaints' | 'Recommends',
  between: (low: number, high: number) => number,
): string {
  const fixed = 'Customer'.length + word.length;
  const gap = between(0, comment.length - fixed);
  const at = between(0, comment.length - fixed - gap);
  const middle = comment.substr(at + 'Customer'.length, gap);
  return comment.slice(0, at) + 'Customer' + middle + word + comment.slice(at + fixed + gap);
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
