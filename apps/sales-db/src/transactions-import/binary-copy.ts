/**
 * PostgreSQL's binary COPY format, written in Node so the server parses no text: reading
 * timestamptz and numeric values is a large share of the server's work per imported row, and
 * the import's Node thread has time to spare while the server writes.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags (no OIDs) and header extension length (none). */
export const BINARY_COPY_HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
export const BINARY_COPY_TRAILER = Buffer.from([0xff, 0xff]);

const TWO_TO_32 = 2 ** 32;
const NUMERIC_NEGATIVE = 0x4000;
const MICROSECONDS_PER_MS = 1000;
/** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

/**
 * An ISO 8601 time as the import takes it directly: date, hours and minutes, optional seconds
 * with up to six fractional digits, and a zone (Z, ±hh, ±hhmm or ±hh:mm). Anything else is left
 * for PostgreSQL to read (the staging path).
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Microseconds since 2000-01-01 UTC (binary timestamptz) of an ISO 8601 time with a zone, or
 * undefined for a time this reader does not judge exactly as PostgreSQL would (no zone, a leap
 * second, 24:00, a day the month does not have).
 */
export function timestamptzMicros(text: string): number | undefined {
  const parts = ISO_TIME.exec(text);
  if (!parts) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', utc, sign, zh, zm] = parts;
  if (!utc && !sign) return undefined;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const offsetMinutes = utc ? 0 : (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm ?? 0));
  if (y < 1 || h > 23 || mi > 59 || s > 59 || Number(zh ?? 0) > 15 || Number(zm ?? 0) > 59) {
    return undefined;
  }
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  local.setUTCFullYear(y); // Date.UTC reads years 0–99 as 1900–1999
  if (local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d) return undefined;
  const ms = local.getTime() - offsetMinutes * 60_000 - POSTGRES_EPOCH_MS;
  return ms * MICROSECONDS_PER_MS + Number(fraction.padEnd(6, '0'));
}

/** Binary COPY rows in a growing buffer (off the JavaScript heap), header not included. */
export class BinaryRows {
  length = 0;

  constructor(public buffer: Buffer) {}

  row(fields: number): this {
    this.reserve(2);
    this.length = this.buffer.writeInt16BE(fields, this.length);
    return this;
  }

  int4(value: number): this {
    this.reserve(8);
    this.length = this.buffer.writeInt32BE(4, this.length);
    this.length = this.buffer.writeInt32BE(value, this.length);
    return this;
  }

  /** A bigint or timestamptz (microseconds): any safe integer, without a BigInt per value. */
  int8(value: number): this {
    this.reserve(12);
    const high = Math.floor(value / TWO_TO_32);
    this.length = this.buffer.writeInt32BE(8, this.length);
    this.length = this.buffer.writeInt32BE(high, this.length);
    this.length = this.buffer.writeUInt32BE(value - high * TWO_TO_32, this.length);
    return this;
  }

  /**
   * A numeric from an integer count of 10^-scale (scale 0 to 4, so the fraction is one
   * base-10000 digit): base-10000 digits from the decimal point, the first digit's weight, sign
   * and display scale. Arithmetic only: it runs for two values of every imported transaction.
   */
  numeric(units: number, scale: number): this {
    if (!Number.isSafeInteger(units) || !Number.isInteger(scale) || scale < 0 || scale > 4) {
      throw new RangeError(`numeric ${units} at scale ${scale}`);
    }
    const unit = 10 ** scale;
    const magnitude = Math.abs(units);
    let integer = Math.floor(magnitude / unit);
    if (integer * unit > magnitude) integer -= 1; // the division rounded up
    const fraction = (magnitude - integer * unit) * 10 ** (4 - scale);
    const digits: number[] = [];
    for (; integer > 0; integer = Math.floor(integer / 10_000)) digits.unshift(integer % 10_000);
    let weight = digits.length - 1;
    if (fraction > 0) digits.push(fraction);
    else while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop();
    if (digits.length === 0) weight = 0;
    this.reserve(12 + digits.length * 2);
    this.length = this.buffer.writeInt32BE(8 + digits.length * 2, this.length);
    this.length = this.buffer.writeInt16BE(digits.length, this.length);
    this.length = this.buffer.writeInt16BE(weight, this.length);
    this.length = this.buffer.writeUInt16BE(units < 0 ? NUMERIC_NEGATIVE : 0, this.length);
    this.length = this.buffer.writeInt16BE(scale, this.length);
    for (const digit of digits) this.length = this.buffer.writeInt16BE(digit, this.length);
    return this;
  }

  text(value: string): this {
    const size = Buffer.byteLength(value);
    this.reserve(4 + size);
    this.length = this.buffer.writeInt32BE(size, this.length);
    this.length += this.buffer.write(value, this.length);
    return this;
  }

  null(): this {
    this.reserve(4);
    this.length = this.buffer.writeInt32BE(-1, this.length);
    return this;
  }

  /** Bytes already encoded: an item's unit fields, a line kept when others are dropped. */
  append(bytes: Buffer): this {
    this.reserve(bytes.length);
    this.length += bytes.copy(this.buffer, this.length);
    return this;
  }

  /** The fields and rows written so far. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** The whole COPY data: header, rows, trailer. */
  toCopyData(): Buffer[] {
    return [BINARY_COPY_HEADER, this.bytes(), BINARY_COPY_TRAILER];
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}
