import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
  BadRequestException,
  ConflictException,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { computeQuarterSelections, Quarter } from '../selection/selection.rules';
import { SelectionStore } from '../selection/selection.store';
import { CsvValidationError, MAX_REPORTED_ERRORS, validateCsv } from './csv-validation';
import { ImportEntity, ImportKind } from './import.entity';
import { ImportsRepository } from './imports.repository';
import { Upload } from './multipart';

export interface ImportRequest {
  fileName: string;
  content: Buffer;
  kind?: ImportKind;
  quarter?: number;
}

export interface ImportResult {
  id: number;
  fileName: string;
  kind: ImportKind;
  quarter: number;
  rowsTotal: number;
  rowsInserted: number;
  rowsSkipped: number;
  unmatchedConversions: number;
}

const FILE_NAME = /^(impressions|clicks|conversions)_([1-4])\.csv$/i;

/**
 * Imports one CSV file: validates all of it, refuses a file already imported, stores the rest in
 * one transaction (skipping rows already present) and recomputes the quarter's selections.
 * Every attempt, including refusals, is recorded for GET /imports.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly repository: ImportsRepository,
    private readonly selections: SelectionStore,
  ) {}

  list(): Promise<ImportEntity[]> {
    return this.repository.list();
  }

  hasAccepted(): Promise<boolean> {
    return this.repository.hasAccepted();
  }

  /**
   * Imports the files of one upload in their order. The first refusal stops the rest; its error
   * then also lists the files of the upload already imported.
   */
  async importUpload(upload: Upload): Promise<{ imports: ImportResult[] }> {
    const imports: ImportResult[] = [];
    for (const file of upload.files) {
      try {
        imports.push(await this.importFile({ ...file, ...upload.fields }));
      } catch (error) {
        if (!(error instanceof HttpException) || !imports.length) throw error;
        const body = error.getResponse() as Record<string, unknown>;
        throw new HttpException({ ...body, importedBefore: imports }, error.getStatus());
      }
    }
    return { imports };
  }

  async importFile(request: ImportRequest): Promise<ImportResult> {
    const fileName = basename(request.fileName || 'upload.csv');
    const fromName = FILE_NAME.exec(fileName);
    const kind = request.kind ?? (fromName?.[1].toLowerCase() as ImportKind | undefined);
    const quarter = request.quarter ?? (fromName ? Number(fromName[2]) : undefined);
    const sha256 = createHash('sha256').update(request.content).digest('hex');
    if (!kind || !quarter) {
      const reason = `${fileName}: kind and quarter must be given as form fields or by naming the file <kind>_<quarter>.csv (e.g. clicks_2.csv)`;
      throw await this.reject(
        { fileName, kind: kind ?? null, quarter: quarter ?? null, sha256 },
        reason,
      );
    }
    const earlier = await this.repository.findAcceptedBySha(sha256);
    if (earlier) throw await this.duplicate(fileName, kind, quarter, sha256, earlier);

    let parsed;
    try {
      parsed = validateCsv(kind, request.content);
    } catch (error) {
      if (!(error instanceof CsvValidationError)) throw error;
      const listed =
        error.total > MAX_REPORTED_ERRORS ? ` (first ${MAX_REPORTED_ERRORS} listed)` : '';
      const first = error.errors
        .slice(0, 3)
        .map((e) => `line ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.problem}`);
      const reason = `${fileName} rejected, nothing stored: ${error.total} problem(s)${listed}: ${first.join('; ')}`;
      throw await this.reject({ fileName, kind, quarter, sha256, errors: error.errors }, reason);
    }

    const outcome = await this.repository.store(
      { fileName, kind, quarter: quarter as Quarter, sha256 },
      parsed,
      (data, version) => computeQuarterSelections(quarter as Quarter, data, version),
    );
    if (!outcome.stored)
      throw await this.duplicate(fileName, kind, quarter, sha256, outcome.duplicateOf);
    const { record } = outcome;
    // This replica serves the new selections before answering; the others follow on the NOTIFY.
    await this.selections.reload(quarter as Quarter);
    this.logger.log(
      `Imported ${fileName} as #${record.id} (${kind}, dataset ${quarter}): ${record.rowsInserted} stored, ${record.rowsSkipped} skipped as already present` +
        (record.unmatchedConversions
          ? `, ${record.unmatchedConversions} conversions waiting for their click`
          : ''),
    );
    return {
      id: record.id,
      fileName,
      kind,
      quarter,
      rowsTotal: record.rowsTotal,
      rowsInserted: record.rowsInserted,
      rowsSkipped: record.rowsSkipped,
      unmatchedConversions: record.unmatchedConversions,
    };
  }

  private async reject(attempt: Partial<ImportEntity>, reason: string): Promise<HttpException> {
    const record = await this.repository.recordAttempt({ ...attempt, status: 'rejected', reason });
    this.logger.warn(`Import #${record.id} rejected: ${reason}`);
    return new BadRequestException({
      message: reason,
      importId: record.id,
      errors: attempt.errors ?? [],
    });
  }

  private async duplicate(
    fileName: string,
    kind: ImportKind,
    quarter: number,
    sha256: string,
    earlier: ImportEntity,
  ): Promise<HttpException> {
    const reason = `${fileName} has the same content (SHA-256 ${sha256.slice(0, 12)}…) as import #${earlier.id} (${earlier.fileName}, ${earlier.createdAt.toISOString()}); nothing stored`;
    const record = await this.repository.recordAttempt({
      fileName,
      kind,
      quarter,
      sha256,
      status: 'duplicate',
      duplicateOf: earlier.id,
      reason,
    });
    this.logger.warn(`Import #${record.id} refused as duplicate: ${reason}`);
    return new ConflictException({
      message: reason,
      importId: record.id,
      duplicateOf: { id: earlier.id, fileName: earlier.fileName, createdAt: earlier.createdAt },
    });
  }
}
