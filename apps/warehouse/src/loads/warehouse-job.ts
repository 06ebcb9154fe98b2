import { Client } from 'pg';
import { CheckRecorder } from './checks';
import { FileChecksums } from './file-checksums';

/** One file of a delivery. */
export interface SourceFile {
  name: string;
  path: string;
  bytes: number;
}

/** One delivery folder: `<WAREHOUSE_SOURCE_DIR>/<job folder>/<YYYYMMDD>/`. */
export interface Delivery {
  /** The folder's name, `YYYYMMDD` (the night, for the supplier load). */
  id: string;
  folder: string;
  /** The job's files in the folder, by name. */
  files: SourceFile[];
}

/** A delivery with the SHA-256 of each file, as the run record keeps it. */
export interface ChecksummedDelivery extends Delivery {
  files: Array<SourceFile & { sha256: string }>;
  /** SHA-256 over the files' SHA-256s (sorted): the same content under any names or order. */
  contentSha256: string;
}

export interface LoadProgress {
  rows: number;
  bytes: number;
  /** The file being read. */
  file: string;
}

/** What a job gets for one run; everything it does on `client` is one transaction. */
export interface JobContext {
  /** Inside the run's transaction, as the load role. */
  client: Client;
  delivery: Delivery;
  /** This run's id in `warehouse.load_runs`; rows it writes may reference it. */
  loadId: number;
  /** The transaction's timestamp: one `load_ts` for everything the run writes. */
  loadTs: Date;
  checks: CheckRecorder;
  /** Where a job streaming a file takes its checksum on the same read (`tap`). */
  checksums: FileChecksums;
  progress(progress: LoadProgress): void;
}

export interface JobOutcome {
  rowsRead: number;
  rowsLoaded: number;
  /** Milliseconds per phase of the job (e.g. copy, checks, publish), kept in the run record. */
  phaseMs?: Record<string, number>;
}

/**
 * A batch job of the warehouse. The runner gives it a delivery, a transaction, a lock (two runs of
 * one job never interleave), the "same content already loaded" skip and the run record; the job
 * only reads its files, checks and publishes. Jobs register themselves with the JobRegistry.
 */
export interface WarehouseJob {
  /** `supplier`, `organic-share`: the CLI and HTTP name, the `job` of its run records. */
  readonly name: string;
  /** Sub-folder of WAREHOUSE_SOURCE_DIR holding the job's delivery folders. */
  readonly sourceFolder: string;
  /** Cron expression of its schedule, or `off`. */
  readonly cron: string;
  /** What a file of a delivery must be called to be the job's; other files are ignored. */
  readonly fileKinds: string;
  accepts(fileName: string): boolean;
  /** Reads the delivery, checks it, publishes; throws to roll everything back. */
  run(context: JobContext): Promise<JobOutcome>;
}
