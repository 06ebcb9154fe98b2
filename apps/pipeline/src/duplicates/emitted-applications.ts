import { QueryRunner } from 'typeorm';
import { FingerprintTable } from './fingerprints';

/** SQL: a 64-bit fingerprint from its halves, as the run's thread holds them (two uint32). */
export const FINGERPRINT_OF = (hi: string, lo: string) => `((${hi}::bigint << 32) | ${lo}::bigint)`;

/**
 * The successful applications earlier runs emitted (`pipeline.emitted_applications`: per run,
 * its fingerprints as one big-endian `bytea`), loaded once at the start of a run into a
 * typed-array set: checking a row costs one hash lookup. The table is bounded
 * (`PIPELINE_EMITTED_LIMIT`), so this set is too.
 */
export class EmittedApplications {
  private constructor(private readonly fingerprints: FingerprintTable) {}

  static readonly none = new EmittedApplications(new FingerprintTable(0, 16));

  /** Reads one run's fingerprints at a time, so only one blob is in memory at once. */
  static async load(runner: QueryRunner): Promise<EmittedApplications> {
    const runs = (await runner.query(
      'SELECT run_id, count FROM "pipeline"."emitted_applications" ORDER BY emitted_at DESC',
    )) as Array<{ run_id: string; count: number }>;
    const total = runs.reduce((sum, run) => sum + run.count, 0);
    if (total === 0) return EmittedApplications.none;
    let capacity = 16;
    while (capacity * 3 < total * 4 + 4) capacity *= 2;
    const table = new FingerprintTable(0, capacity);
    for (const { run_id: runId } of runs) {
      const [{ fingerprints }] = (await runner.query(
        'SELECT fingerprints FROM "pipeline"."emitted_applications" WHERE run_id = $1',
        [runId],
      )) as Array<{ fingerprints: Buffer }>;
      for (let at = 0; at + 8 <= fingerprints.length; at += 8) {
        const hi = fingerprints.readUInt32BE(at);
        const lo = fingerprints.readUInt32BE(at + 4);
        if (table.find(hi, lo) < 0) table.insert(hi, lo);
      }
    }
    return new EmittedApplications(table);
  }

  /**
   * Inside a run's commit transaction: records what it emitted (the fingerprints of the ids it
   * streamed to `pg_temp.run_issued_ids`), then forgets every run whose newer runs already hold
   * `limit` fingerprints (so the newest run is always remembered whole).
   */
  static async record(runner: QueryRunner, runId: string, limit: number): Promise<void> {
    await runner.query(
      `INSERT INTO "pipeline"."emitted_applications" (run_id, fingerprints, count)
       SELECT $1, string_agg(int8send(fingerprint), ''::bytea ORDER BY fingerprint), count(*)
       FROM pg_temp.run_issued_ids HAVING count(*) > 0`,
      [runId],
    );
    await runner.query(
      `DELETE FROM "pipeline"."emitted_applications" WHERE run_id IN (
         SELECT run_id FROM (
           SELECT run_id, sum(count) OVER (ORDER BY emitted_at DESC, run_id DESC) - count AS newer
           FROM "pipeline"."emitted_applications") AS newest_first
         WHERE newer >= $1)`,
      [limit],
    );
  }

  get size(): number {
    return this.fingerprints.size;
  }

  has(hi: number, lo: number): boolean {
    return this.fingerprints.size > 0 && this.fingerprints.find(hi, lo) >= 0;
  }
}
