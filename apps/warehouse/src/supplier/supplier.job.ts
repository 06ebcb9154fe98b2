import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { WarehouseConfig } from '../config';
import { JobRegistry } from '../loads/job-registry';
import { JobContext, JobOutcome, SourceFile, WarehouseJob } from '../loads/warehouse-job';
import { SUPPLIER_FILE } from './supplier-columns';
import {
  KEY_UNIQUE_CHECK,
  rowsStagedCheck,
  SUPPLIER_ROW_CHECKS,
  SUPPLIER_STAGE,
} from './supplier-checks';
import { DatabaseError } from 'pg';
import { phaseClock } from '../loads/phase-clock';
import { copyParquetPart } from './parquet-part';
import { copyTblPart, PartResult } from './tbl-part';

const UNIQUE_VIOLATION = '23505';

/** Where each part's rows start in the stage's COPY order, to name a sampled row's file and line. */
interface PartSpan {
  file: string;
  firstRow: number;
  rows: number;
}

/**
 * The nightly TPC-H supplier load: empty the stage, COPY every part into it (with the load's
 * timestamp and id), check it, and publish the stage itself as the night's partition of the
 * history. The runner wraps all of it in one transaction.
 */
@Injectable()
export class SupplierJob implements WarehouseJob, OnModuleInit {
  readonly name = 'supplier';
  readonly sourceFolder = 'supplier';
  readonly fileKinds = '.tbl, .tbl.N, .tbl.gz or .parquet';
  readonly cron: string;

  constructor(
    @Inject(APP_CONFIG) config: WarehouseConfig,
    private readonly registry: JobRegistry,
  ) {
    this.cron = config.WAREHOUSE_SUPPLIER_CRON;
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  accepts(fileName: string): boolean {
    return SUPPLIER_FILE.test(fileName);
  }

  async run(context: JobContext): Promise<JobOutcome> {
    const { client, delivery, checks } = context;
    const clock = phaseClock();
    await client.query('TRUNCATE warehouse.supplier_stage');
    // This load's id and timestamp become the stage's defaults, which COPY's column list leaves
    // to them; a CHECK on the id proves the partition bound when the stage is attached.
    await client.query('SELECT warehouse.prepare_supplier_stage($1)', [context.loadId]);
    const spans: PartSpan[] = [];
    let rowsRead = 0;
    let rowsCopied = 0;
    let bytes = 0;
    for (const file of delivery.files) {
      const part = await this.copyPart(context, file, (chunk, lines) => {
        bytes += chunk;
        context.progress({ rows: rowsRead + lines, bytes, file: file.name });
      });
      spans.push({ file: file.name, firstRow: rowsCopied + 1, rows: part.rowsCopied });
      rowsCopied += part.rowsCopied;
      rowsRead += part.linesRead;
    }
    const copy = clock.lap();

    const describeRow = (row: Record<string, unknown>) => locate(row, spans);
    await checks.runAggregates(
      client,
      SUPPLIER_STAGE,
      [rowsStagedCheck(rowsRead), ...SUPPLIER_ROW_CHECKS],
      describeRow,
    );
    checks.assertPassed();
    const checked = clock.lap();

    // The stage itself becomes the night's partition: its rows are written once, by the COPY.
    // Its primary key, built there, proves the keys unique; a duplicate rolls back to the
    // savepoint, and the key check gives its figure and the offending rows.
    await client.query('SAVEPOINT publish');
    try {
      await client.query('SELECT warehouse.publish_supplier_stage($1)', [context.loadId]);
    } catch (error) {
      if (!(error instanceof DatabaseError && error.code === UNIQUE_VIOLATION)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT publish');
      await checks.runAggregates(client, SUPPLIER_STAGE, [KEY_UNIQUE_CHECK], describeRow);
      checks.assertPassed();
      throw error;
    }
    checks.record({
      name: KEY_UNIQUE_CHECK.name,
      passed: true,
      figure: 0,
      detail: KEY_UNIQUE_CHECK.detail,
    });
    return {
      rowsRead,
      rowsLoaded: rowsCopied,
      phaseMs: { copy, checks: checked, publish: clock.lap() },
    };
  }

  private copyPart(
    context: JobContext,
    file: SourceFile,
    onRead: (bytes: number, lines: number) => void,
  ): Promise<PartResult> {
    return file.name.endsWith('.parquet')
      ? copyParquetPart(context.client, file, onRead)
      : copyTblPart(context.client, file, context.checksums, onRead);
  }
}

/** A sampled stage row gets its file and line in place of its global row number. */
function locate(row: Record<string, unknown>, spans: PartSpan[]): Record<string, unknown> {
  const {
    row_no: rowNo,
    s_trailing: _trailing,
    load_ts: _loadTs,
    load_id: _loadId,
    ...columns
  } = row;
  const n = Number(rowNo);
  const span = spans.find((part) => n >= part.firstRow && n < part.firstRow + part.rows);
  return span ? { file: span.file, line: n - span.firstRow + 1, ...columns } : columns;
}
