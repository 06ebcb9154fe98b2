import { Quarter } from '../selection/selection.rules';
import { RowError } from './csv-validation';
import type { ImportKind, ImportReport } from './import.entity';

/** One file of an upload, already on disk (a temporary file), with its kind and quarter decided. */
export interface JobFile {
  path: string;
  fileName: string;
  kind: ImportKind;
  quarter: Quarter;
}

/** What the import thread is asked to do: all of `files` in one transaction, or nothing. */
export interface ImportJob {
  databaseUrl: string;
  files: JobFile[];
  /**
   * `add`: the files join their quarter's current set (a new impressions file replaces the
   * impressions; clicks and conversions are added). `replace`: they are the quarter's whole new set.
   */
  mode: 'add' | 'replace';
  importedBy: string;
  /** Refuse the upload when it has anomalies instead of reporting them. */
  strict: boolean;
}

export interface FileResult {
  id: number;
  fileName: string;
  kind: ImportKind;
  quarter: number;
  sha256: string;
  rowsTotal: number;
  rowsInserted: number;
  /** Rows already in the quarter's set with the same values. */
  rowsSkipped: number;
  report: ImportReport;
}

export interface DatasetResult {
  id: number;
  quarter: number;
  /** `published` when the set is complete (it serves now), `draft` while kinds are missing. */
  status: 'published' | 'draft';
  missing: ImportKind[];
}

export interface FileRefusal {
  fileName: string;
  kind: ImportKind;
  quarter: number;
  errors: Array<RowError>;
  errorCount: number;
  duplicateOf?: { id: number; fileName: string; createdAt: string };
}

export type ImportOutcome =
  | { ok: true; uploadId: string; imports: FileResult[]; datasets: DatasetResult[] }
  | {
      ok: false;
      /** 400 invalid rows or anomalies in strict mode, 409 duplicates and conflicts with stored rows. */
      status: 400 | 409;
      message: string;
      uploadId: string;
      files: FileRefusal[];
    };
