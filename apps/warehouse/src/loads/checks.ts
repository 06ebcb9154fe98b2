import { Client } from 'pg';

/** One data-quality check as recorded in the run record and shown by the API. */
export interface CheckResult {
  name: string;
  passed: boolean;
  /** The figure the check rests on, e.g. the number of offending rows. */
  figure: number;
  /** What was checked and, on failure, what was wrong. */
  detail: string;
  /** A few offending rows (with their file and line when known). */
  sample?: Array<Record<string, unknown>>;
  /** Warnings are recorded and reported but do not fail the run. */
  severity: 'error' | 'warning';
}

/** A check written as SQL: a count of offending rows, and a query listing some of them. */
export interface SqlCheck {
  name: string;
  detail: string;
  /** Returns one row with one column `figure`: how many rows break the rule (0 = passed). */
  countSql: string;
  /** Returns a few offending rows; only run when the check fails. */
  sampleSql?: string;
  severity?: 'error' | 'warning';
}

/**
 * A check computed as one aggregate over a table (e.g. `count(*) FILTER (WHERE ...)`), so that
 * many checks share a single pass over a large stage.
 */
export interface AggregateCheck {
  name: string;
  detail: string;
  /** An aggregate expression: how many rows break the rule (0 = passed). */
  figure: string;
  /** Returns a few offending rows; only run when the check fails. */
  sampleSql?: string;
  severity?: 'error' | 'warning';
}

/** One SELECT giving every check's figure (`f0`, `f1`, …) in a single pass over `table`. */
export function aggregateChecksQuery(table: string, checks: AggregateCheck[]): string {
  const figures = checks.map((check, i) => `${check.figure} AS f${i}`);
  return `SELECT\n  ${figures.join(',\n  ')}\nFROM ${table}`;
}

export class ChecksFailedError extends Error {
  constructor(readonly failed: CheckResult[]) {
    super(
      `data-quality check${failed.length > 1 ? 's' : ''} failed: ${failed
        .map((check) => `${check.name} (${check.figure}: ${check.detail})`)
        .join('; ')}`,
    );
    this.name = 'ChecksFailedError';
  }
}

/** Collects a run's checks; `assertPassed()` fails the run when any error-level check failed. */
export class CheckRecorder {
  private readonly results: CheckResult[] = [];

  record(result: Omit<CheckResult, 'severity'> & { severity?: CheckResult['severity'] }): void {
    this.results.push({ ...result, severity: result.severity ?? 'error' });
  }

  /**
   * Runs SQL checks in order on the run's transaction and records each with its figure;
   * `describeRow` turns a sampled row into what a reader needs (e.g. its file and line).
   */
  async runSql(
    client: Client,
    checks: SqlCheck[],
    describeRow: (row: Record<string, unknown>) => Record<string, unknown> = (row) => row,
  ): Promise<void> {
    for (const check of checks) {
      const { rows } = await client.query<{ figure: string | number }>(check.countSql);
      const figure = Number(rows[0]?.figure ?? 0);
      const passed = figure === 0;
      const sample =
        !passed && check.sampleSql
          ? (await client.query<Record<string, unknown>>(check.sampleSql)).rows.map(describeRow)
          : undefined;
      this.record({
        name: check.name,
        passed,
        figure,
        detail: check.detail,
        sample,
        severity: check.severity,
      });
    }
  }

  /** Runs aggregate checks in one pass over `table` and records each with its figure. */
  async runAggregates(
    client: Client,
    table: string,
    checks: AggregateCheck[],
    describeRow: (row: Record<string, unknown>) => Record<string, unknown> = (row) => row,
  ): Promise<void> {
    const { rows } = await client.query<Record<string, string>>(
      aggregateChecksQuery(table, checks),
    );
    for (const [i, check] of checks.entries()) {
      const figure = Number(rows[0][`f${i}`]);
      const passed = figure === 0;
      const sample =
        !passed && check.sampleSql
          ? (await client.query<Record<string, unknown>>(check.sampleSql)).rows.map(describeRow)
          : undefined;
      this.record({
        name: check.name,
        passed,
        figure,
        detail: check.detail,
        sample,
        severity: check.severity,
      });
    }
  }

  list(): CheckResult[] {
    return [...this.results];
  }

  assertPassed(): void {
    const failed = this.results.filter((check) => !check.passed && check.severity === 'error');
    if (failed.length) throw new ChecksFailedError(failed);
  }
}
