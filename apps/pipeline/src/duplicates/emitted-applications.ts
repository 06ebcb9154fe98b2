import { QueryRunner } from 'typeorm';
import { FingerprintTable } from './fingerprints';

const LOAD_ROWS = 100_000;

/** SQL: a 64-bit fingerprint from its halves, as the run's thread holds them (two uint32). */
export const FINGERPRINT_OF = (hi: string, lo: string) => `((${hi}::bigint << 32) | ${lo}::bigint)`;

/**
 * The successful applications earlier runs emitted (`pipeline.emitted_applications`), loaded
 * once at the start of a run into a typed-array set: checking a row costs one hash lookup.
 * The table is bounded (`PIPELINE_EMITTED_LIMIT`), so this set is too.
 */
export class EmittedApplications {
  private constructor(private readonly fingerprints: FingerprintTable) {}

  static readonly none = new EmittedApplications(new FingerprintTable(0, 16));

  /** Reads the table in key order, a hundred thousand fingerprints per statement. */
  static async load(runner: QueryRunner): Promise<EmittedApplications> {
    const [{ count }] = (await runner.query(
      'SELECT count(*)::int AS count FROM "pipeline"."emitted_applications"',
    )) as Array<{ count: number }>;
    if (count === 0) return EmittedApplications.none;
    let capacity = 16;
    while (capacity * 3 < count * 4 + 4) capacity *= 2;
    const table = new FingerprintTable(0, capacity);
    let after: string | null = null;
    for (;;) {
      const rows = (await runner.query(
        `SELECT (fingerprint >> 32)::int4 AS hi, (fingerprint & 4294967295)::float8 AS lo,
                fingerprint::text AS key
         FROM "pipeline"."emitted_applications"
         WHERE $1::bigint IS NULL OR fingerprint > $1::bigint
         ORDER BY fingerprint LIMIT ${LOAD_ROWS}`,
        [after],
      )) as Array<{ hi: number; lo: number; key: string }>;
      for (const { hi, lo } of rows) {
        if (table.find(hi >>> 0, lo) < 0) table.insert(hi >>> 0, lo);
      }
      if (rows.length < LOAD_ROWS) break;
      after = rows[rows.length - 1].key;
    }
    return new EmittedApplications(table);
  }

  get size(): number {
    return this.fingerprints.size;
  }

  has(hi: number, lo: number): boolean {
    return this.fingerprints.size > 0 && this.fingerprints.find(hi, lo) >= 0;
  }
}
