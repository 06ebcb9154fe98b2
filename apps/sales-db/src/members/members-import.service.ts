import { Injectable, Logger } from '@nestjs/common';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SalesDatabase } from '../database/sales-database';
import { Sql } from '../database/sql';
import { BadHeaderError, MemberRecord, readMembersCsv, RowProblem } from './members-csv';
import { MembersRepository, UpsertResult } from './members.repository';

const BATCH = 2000;

export interface ImportResult {
  files: string[];
  rejectedFiles: { file: string; reason: string }[];
  rowsRead: number;
  inserted: number;
  unchanged: number;
  invalid: RowProblem[];
  /** Same membership id and email as a stored person but other details: reported, never applied. */
  differing: UpsertResult['differing'];
  /** Membership ids shared by different people (kept as separate members, never merged). */
  sharedMembershipIds: { membershipId: string; memberIds: number[] }[];
}

/**
 * `import-members <file|dir>`: loads the pipeline's successful outputs. Idempotent: a second run
 * of the same files inserts nothing. Each file is imported in one database transaction.
 */
@Injectable()
export class MembersImportService {
  private readonly logger = new Logger(MembersImportService.name);

  constructor(
    private readonly database: SalesDatabase,
    private readonly members: MembersRepository,
  ) {}

  async import(path: string): Promise<ImportResult> {
    const files = await csvFiles(path);
    const result: ImportResult = {
      files,
      rejectedFiles: [],
      rowsRead: 0,
      inserted: 0,
      unchanged: 0,
      invalid: [],
      differing: [],
      sharedMembershipIds: [],
    };
    const membershipIds = new Set<string>();
    for (const file of files) {
      try {
        await this.database.asAdmin((sql) => this.importFile(sql, file, result, membershipIds));
      } catch (error) {
        if (!(error instanceof BadHeaderError)) throw error;
        result.rejectedFiles.push({ file, reason: error.message });
      }
    }
    result.sharedMembershipIds = await this.database.asAdmin((sql) =>
      this.members.sharedMembershipIds(sql, [...membershipIds]),
    );
    // Repeated idempotent imports (the demo's polling) stay quiet unless something changed.
    const changed =
      result.inserted > 0 || result.invalid.length > 0 || result.rejectedFiles.length > 0;
    this.logger[changed ? 'log' : 'debug'](
      {
        files: files.length,
        inserted: result.inserted,
        unchanged: result.unchanged,
        invalid: result.invalid.length,
        differing: result.differing.length,
        sharedMembershipIds: result.sharedMembershipIds.length,
      },
      'members imported',
    );
    return result;
  }

  private async importFile(
    sql: Sql,
    file: string,
    result: ImportResult,
    membershipIds: Set<string>,
  ): Promise<void> {
    let batch = new Map<string, MemberRecord>();
    const flush = async () => {
      if (!batch.size) return;
      const outcome = await this.members.upsert(sql, [...batch.values()]);
      result.inserted += outcome.inserted;
      result.unchanged += outcome.unchanged;
      result.differing.push(...outcome.differing);
      batch = new Map();
    };
    for await (const row of readMembersCsv(file)) {
      result.rowsRead += 1;
      if (!row.ok) {
        result.invalid.push(...row.problems);
        continue;
      }
      const key = `${row.record.membershipId}\0${row.record.email}`;
      membershipIds.add(row.record.membershipId);
      // The same person twice in one batch: the later copy is compared by the next batch instead.
      if (batch.has(key)) await flush();
      batch.set(key, row.record);
      if (batch.size >= BATCH) await flush();
    }
    await flush();
  }
}

/**
 * The pipeline publishes complete outputs as `applications_<run>.csv` in its successful folder;
 * everything else there (its `.applications_<run>.partN.csv` files in progress, subfolders such
 * as a work folder, other files) is not an output and is never read from a folder. A file named
 * explicitly is read as it is.
 */
const PUBLISHED_OUTPUT = /^applications_[^/]*\.csv$/i;

async function csvFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new Error(`${path}: no such file or directory`);
  });
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && PUBLISHED_OUTPUT.test(entry.name))
    .map((entry) => join(path, entry.name))
    .sort();
}
