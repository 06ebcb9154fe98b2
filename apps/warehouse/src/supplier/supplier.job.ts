import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { WarehouseConfig } from '../config';
import { JobRegistry } from '../loads/job-registry';
import { JobContext, JobOutcome, SourceFile, WarehouseJob } from '../loads/warehouse-job';
import { SUPPLIER_FILE } from './supplier-columns';
import { SUPPLIER_CHECKS, SUPPLIER_STAGE } from './supplier-checks';
import { copyParquetPart } from './parquet-part';
import { copyTblPart, PartResult } from './tbl-part';

/** Where each part's rows start in the stage's COPY order, to name a sampled row's file and line. */
interface PartSpan {
  file: string;
  firstRow: number;
  rows: number;
}

/**
 * The nightly TPC-H supplier load: empty the stage, COPY every part into it, check it, append it to
 * the history with the load's timestamp and id. The runner wraps all of it in one transaction.
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
    await client.query('TRUNCATE warehouse.supplier_stage');
    const spans: PartSpan[] = [];
    let rowsRead = 0;
    let rowsCopied = 0;
    let bytes = 0;
    for (const file of delivery.files) {
      const part = await this.copyPart(context, file, (chunk) => {
        bytes += chunk;
        context.progress({ rows: rowsRead, bytes, file: file.name });
      });
      spans.push({ file: file.name, firstRow: rowsCopied + 1, rows: part.rowsCopied });
      rowsCopied += part.rowsCopied;
      rowsRead += part.linesRead;
      context.progress({ rows: rowsRead, bytes, file: file.name });
    }

    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM warehouse.supplier_stage',
    );
    const staged = Number(rows[0].n);
    checks.record({
      name: 'rows_staged_equal_rows_read',
      passed: staged === rowsRead,
      figure: staged - rowsRead,
      detail: `${staged} rows in the stage, ${rowsRead} lines read from the files`,
    });
    await checks.runAggregates(client, SUPPLIER_STAGE, SUPPLIER_CHECKS, (row) =>
      locate(row, spans),
    );
    checks.assertPassed();

    const inserted = await client.query(
      `INSERT INTO warehouse.supplier_data (load_ts, load_id, s_suppkey, s_nationkey, s_acctbal,
         s_name, s_address, s_phone, s_comment)
       SELECT $1, $2, s_suppkey, s_nationkey, s_acctbal, s_name, s_address, s_phone, s_comment
       FROM warehouse.supplier_stage`,
      [context.loadTs, context.loadId],
    );
    return { rowsRead, rowsLoaded: inserted.rowCount ?? 0 };
  }

  private copyPart(
    context: JobContext,
    file: SourceFile,
    onBytes: (bytes: number) => void,
  ): Promise<PartResult> {
    return file.name.endsWith('.parquet')
      ? copyParquetPart(context.client, file, onBytes)
      : copyTblPart(context.client, file, onBytes);
  }
}

/** A sampled stage row gets its file and line in place of its global row number. */
function locate(row: Record<string, unknown>, spans: PartSpan[]): Record<string, unknown> {
  const { row_no: rowNo, s_trailing: _trailing, ...columns } = row;
  const n = Number(rowNo);
  const span = spans.find((part) => n >= part.firstRow && n < part.firstRow + part.rows);
  return span ? { file: span.file, line: n - span.firstRow + 1, ...columns } : columns;
}
