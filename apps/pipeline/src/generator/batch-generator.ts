import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { seededRandom } from '@des/shared';

export interface GenerateOptions {
  /** Folder the batches are dropped into (created when missing). */
  dir: string;
  files: number;
  /** Data rows per file. */
  rows: number;
  /** Same seed, same files. */
  seed?: number;
}

const FIRST = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'William',
  'Elizabeth',
  'David',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Wei',
  'Mei Ling',
  'Siti',
  'Muhammad',
  'Priya',
  'Arjun',
  'Hiroshi',
  'Yuki',
  'José',
  'Zoë',
  'Anne-Marie',
  "D'Arcy",
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Tan',
  'Lim',
  'Lee',
  'Ng',
  'Wong',
  'Kumar',
  'Nguyen',
  'Chen',
  "O'Brien",
  'Müller',
  'Kowalski',
  'Okafor',
  'Rossi',
  'Dubois',
  'Schmidt',
  'Kim',
  'Park',
  'Singh',
  'Santos',
  'Cohen',
  'Haddad',
  'Ivanova',
];
const TITLES = ['Mr.', 'Mrs.', 'Ms.', 'Miss', 'Dr.'];
const SUFFIXES = ['Jr.', 'Sr.', 'II', 'III', 'IV', 'MD', 'PhD', 'DDS', 'DVM'];
// Weighted like real sign-ups: mostly big .com/.net providers, a long tail of other endings.
const DOMAINS = [
  ...Array<string>(3).fill('emailprovider.com'),
  ...Array<string>(2).fill('emailprovider.net'),
  ...Array<string>(3).fill('gmail.com'),
  ...Array<string>(2).fill('yahoo.com'),
  'hotmail.net',
  'example.org',
  'mail.info',
  'shop.biz',
  'company.com.sg',
  'post.co.uk',
  'web.de',
  'school.edu',
];
const HEADER = ['name', 'email', 'date_of_birth', 'mobile_no'];

const pad = (value: number) => String(value).padStart(2, '0');

/** One messy application row; every shape the issue lists appears with a small probability. */
export class ApplicationFaker {
  private readonly next: () => number;
  private readonly recent: string[][] = [];

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  row(): string[] {
    // In-batch duplicates: some rows are repeated verbatim.
    if (this.recent.length > 10 && this.chance(0.02)) {
      return this.pick(this.recent);
    }
    const first = this.pick(FIRST);
    const last = this.pick(LAST);
    const row = [this.name(first, last), this.email(first, last), this.birthday(), this.mobile()];
    if (this.recent.length < 50) this.recent.push(row);
    else this.recent[Math.floor(this.next() * 50)] = row;
    return row;
  }

  private name(first: string, last: string): string {
    const roll = this.next();
    if (roll < 0.03) return this.chance(0.5) ? '' : '  ';
    if (roll < 0.05) return last; // one-word name
    let name = this.chance(0.1) ? `${first} ${this.pick(FIRST)} ${last}` : `${first} ${last}`;
    if (this.chance(0.15)) name = `${this.pick(TITLES)} ${name}`;
    if (this.chance(0.12)) name = `${name}${this.chance(0.3) ? ',' : ''} ${this.pick(SUFFIXES)}`;
    if (this.chance(0.02)) name = ` ${name}  `;
    return name;
  }

  private email(first: string, last: string): string {
    const local = `${first}.${last}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '');
    const number = this.chance(0.5) ? String(Math.floor(this.next() * 100)) : '';
    const domain = this.pick(DOMAINS);
    const roll = this.next();
    if (roll < 0.01) return `${local}${number}${domain}`; // no @
    if (roll < 0.02) return `${local} ${number}@${domain}`;
    if (roll < 0.03) return `${local}@@${domain}`;
    if (roll < 0.04) return '';
    const email = `${local}${number}@${domain}`;
    return this.chance(0.05) ? email.toUpperCase() : email;
  }

  private birthday(): string {
    const roll = this.next();
    if (roll < 0.01) return '';
    if (roll < 0.02)
      return this.pick(['1996/02/31', '2001-04-31', '02/30/1990', '31-02-1985', '1999/13/01']);
    if (roll < 0.03)
      return this.pick([
        '01/01/2090',
        '2035-06-15',
        '15-08-1850',
        '1899/12/31',
        'Jan 5 1990',
        '1990.05.01',
      ]);
    const year = 1940 + Math.floor(this.next() * 72); // up to 2011: some are under 18
    const month = 1 + Math.floor(this.next() * 12);
    const day = 1 + Math.floor(this.next() * (month === 2 ? 28 : 30));
    const format = Math.floor(this.next() * 4);
    const unpadded = this.chance(0.05);
    const p = (value: number) => (unpadded ? String(value) : pad(value));
    switch (format) {
      case 0:
        return `${year}-${pad(month)}-${pad(day)}`;
      case 1:
        return `${year}/${pad(month)}/${pad(day)}`;
      case 2:
        return `${p(month)}/${p(day)}/${year}`;
      default:
        return `${p(day)}-${p(month)}-${year}`;
    }
  }

  private mobile(): string {
    const digits = (count: number) => {
      let value = String(1 + Math.floor(this.next() * 9));
      while (value.length < count) value += String(Math.floor(this.next() * 10));
      return value;
    };
    const roll = this.next();
    if (roll < 0.12) {
      const value = digits(8);
      return `${value.slice(0, 4)} ${value.slice(4)}`;
    }
    if (roll < 0.27) return digits(5 + Math.floor(this.next() * 3)); // 5 to 7 digits
    if (roll < 0.29) return digits(9);
    if (roll < 0.31) return this.pick([`${digits(2)}-${digits(6)}`, `+65${digits(8)}`, '']);
    return digits(8);
  }

  private chance(probability: number): boolean {
    return this.next() < probability;
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)];
  }
}

/**
 * Writes `files` CSV batches of `rows` rows into `dir`. Each file is written under a hidden
 * name and renamed into place, so a pipeline run never sees half a file. File shapes rotate:
 * CRLF or LF, with or without a UTF-8 BOM, every field quoted or only where needed.
 */
export async function generateBatches(options: GenerateOptions): Promise<string[]> {
  await mkdir(options.dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const seed = options.seed ?? Date.now();
  const written: string[] = [];
  for (let index = 0; index < options.files; index++) {
    const name = `applications_${stamp}_${seed % 100000}_${index + 1}.csv`;
    const path = join(options.dir, name);
    const hidden = join(options.dir, `.${name}.tmp`);
    const faker = new ApplicationFaker(seed + index);
    const stringifier = stringify({
      bom: index % 2 === 0,
      record_delimiter: index % 2 === 0 ? 'windows' : 'unix',
      quoted: index % 3 === 0,
    });
    const done = pipeline(stringifier, createWriteStream(hidden));
    stringifier.write(HEADER);
    for (let row = 0; row < options.rows; row++) {
      if (!stringifier.write(faker.row())) await once(stringifier, 'drain');
    }
    stringifier.end();
    await done;
    await rename(hidden, path);
    written.push(path);
  }
  return written;
}
