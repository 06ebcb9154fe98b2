import { BadRequestException, HttpException, Injectable, Logger } from '@nestjs/common';
import { Quarter } from '../selection/selection.rules';
import { SelectionStore } from '../selection/selection.store';
import { DatasetResult, FileResult, JobFile } from './import-job';
import { KINDS } from './import-transaction';
import { ImportKind } from './import.entity';
import { ImportRunner } from './import-runner';
import { ImportsRepository } from './imports.repository';
import { ReceivedFile, safeFileName } from './multipart';

export interface ImportOptions {
  importedBy: string;
  strict?: boolean;
  /** Form fields: apply to every file of the upload. */
  kind?: ImportKind;
  quarter?: number;
  /** PUT /quarters/:q/dataset: the files are the quarter's whole new set. */
  replaceQuarter?: Quarter;
}

export interface UploadAnswer {
  uploadId: string;
  imports: FileResult[];
  datasets: DatasetResult[];
}

const FILE_NAME = /^(impressions|clicks|conversions)_([1-4])\.csv$/i;
const KIND_PREFIX = /^(impressions|clicks|conversions)/i;

/**
 * Imports uploads (POST /imports, PUT /quarters/:q/dataset, the CLI, the demo loader): decides
 * each file's kind and quarter, hands the files to the import thread (all or nothing), and serves
 * the new datasets before answering.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly repository: ImportsRepository,
    private readonly runner: ImportRunner,
    private readonly selections: SelectionStore,
  ) {}

  page(limit: number, offset: number) {
    return this.repository.page(limit, offset);
  }

  hasAccepted(): Promise<boolean> {
    return this.repository.hasAccepted();
  }

  async importFiles(received: ReceivedFile[], options: ImportOptions): Promise<UploadAnswer> {
    const files = await this.resolve(received, options);
    const outcome = await this.runner.run({
      files,
      mode: options.replaceQuarter ? 'replace' : 'add',
      importedBy: options.importedBy,
      strict: options.strict ?? false,
    });
    if (!outcome.ok) {
      this.logger.warn(
        `Upload ${outcome.uploadId} refused (${outcome.status}): ${outcome.message}`,
      );
      throw new HttpException(
        {
          message: outcome.message,
          uploadId: outcome.uploadId,
          files: outcome.files,
          errors: outcome.files.flatMap((f) => f.errors.map((e) => ({ file: f.fileName, ...e }))),
        },
        outcome.status,
      );
    }
    // This replica serves the new datasets before answering; the others follow on the NOTIFY.
    // A draft changes nothing served; a published set only its own quarter.
    await Promise.all(
      outcome.datasets
        .filter((dataset) => dataset.status === 'published')
        .map((dataset) => this.selections.reload(dataset.quarter as Quarter)),
    );
    for (const file of outcome.imports) {
      this.logger.log(
        `Imported ${file.fileName} as #${file.id} (${file.kind}, dataset ${file.quarter}) for ${options.importedBy}: ${file.rowsInserted} stored, ${file.rowsSkipped} already present`,
      );
    }
    for (const dataset of outcome.datasets) {
      this.logger.log(
        dataset.status === 'published'
          ? `Dataset #${dataset.id} of quarter ${dataset.quarter} published`
          : `Dataset #${dataset.id} of quarter ${dataset.quarter} is a draft until it has ${dataset.missing.join(', ')}`,
      );
    }
    return { uploadId: outcome.uploadId, imports: outcome.imports, datasets: outcome.datasets };
  }

  /** Kind and quarter of every file, or a 400 naming the files that have none (recorded as rejected). */
  private async resolve(received: ReceivedFile[], options: ImportOptions): Promise<JobFile[]> {
    const files: JobFile[] = [];
    const unresolved: string[] = [];
    for (const { fileName: raw, path } of received) {
      const fileName = safeFileName(raw);
      const fromName = FILE_NAME.exec(fileName);
      const kind = (options.kind ??
        (options.replaceQuarter
          ? KIND_PREFIX.exec(fileName)?.[1]
          : fromName?.[1]
        )?.toLowerCase()) as ImportKind | undefined;
      const quarter = (options.replaceQuarter ??
        options.quarter ??
        (fromName ? Number(fromName[2]) : undefined)) as Quarter | undefined;
      if (kind && quarter) files.push({ path, fileName, kind, quarter });
      else unresolved.push(fileName);
    }
    let reason: string | undefined;
    const names = files.map((file) => file.fileName).concat(unresolved);
    const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
    if (repeated.length) {
      // The name is what the history, the datasets and every error message identify a file by.
      reason = `${repeated.join(', ')} ${repeated.length > 1 ? 'are' : 'is'} named twice in the upload; each file of an upload needs its own name`;
    } else if (unresolved.length) {
      reason = options.replaceQuarter
        ? `${unresolved.join(', ')}: the kind must start the file name (impressions…, clicks…, conversions…)`
        : `${unresolved.join(', ')}: kind and quarter must be given as form fields or by naming the file <kind>_<quarter>.csv (e.g. clicks_2.csv)`;
    } else if (options.replaceQuarter) {
      const counts = KINDS.map((kind) => files.filter((f) => f.kind === kind).length);
      if (counts.some((n) => n !== 1))
        reason = `A quarter's dataset is exactly one impressions, one clicks and one conversions file (got ${KINDS.map((k, i) => `${counts[i]} ${k}`).join(', ')})`;
    }
    if (!reason) return files;
    for (const { fileName } of received) {
      await this.repository.recordAttempt({
        fileName: safeFileName(fileName),
        status: 'rejected',
        reason,
        importedBy: options.importedBy,
      });
    }
    this.logger.warn(`Upload refused: ${reason}`);
    throw new BadRequestException(`Upload refused, nothing stored: ${reason}`);
  }
}
