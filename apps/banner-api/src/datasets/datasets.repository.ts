import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SELECTIONS_CHANNEL } from '../selection/selection-channel';
import { IMPORT_LOCK } from '../imports/import-transaction';
import { Quarter } from '../selection/selection.rules';

export interface DatasetFileView {
  importId: number;
  fileName: string;
  kind: string;
  sha256: string;
  rowsTotal: number;
  rowsInserted: number;
  rowsSkipped: number;
  importedBy: string | null;
  importedAt: Date;
}

export interface DatasetView {
  id: number;
  quarter: number;
  status: string;
  baseId: number | null;
  createdAt: Date;
  publishedAt: Date | null;
  importedBy: string | null;
  files: DatasetFileView[];
}

/** Datasets with their files; deletion and rollback, serialised with imports and NOTIFYing replicas. */
@Injectable()
export class DatasetsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(
    limit: number,
    offset: number,
    quarter?: number,
  ): Promise<{ total: number; items: DatasetView[] }> {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM banner.datasets WHERE $1::smallint IS NULL OR quarter = $1`,
      [quarter ?? null],
    );
    const items: DatasetView[] = await this.dataSource.query(
      `SELECT d.id, d.quarter, d.status, d.base_id AS "baseId", d.created_at AS "createdAt",
              d.published_at AS "publishedAt", d.imported_by AS "importedBy",
              coalesce((SELECT json_agg(json_build_object(
                 'importId', i.id, 'fileName', i.file_name, 'kind', i.kind, 'sha256', i.sha256,
                 'rowsTotal', i.rows_total, 'rowsInserted', i.rows_inserted, 'rowsSkipped', i.rows_skipped,
                 'importedBy', i.imported_by, 'importedAt', i.created_at) ORDER BY i.id)
                 FROM banner.dataset_files f JOIN banner.imports i ON i.id = f.import_id
                WHERE f.dataset_id = d.id), '[]') AS files
         FROM banner.datasets d WHERE $3::smallint IS NULL OR d.quarter = $3
        ORDER BY d.id DESC LIMIT $1 OFFSET $2`,
      [limit, offset, quarter ?? null],
    );
    return { total, items };
  }

  /** Removes every dataset of the quarter and their rows; the import history stays (status `deleted`). */
  deleteQuarter(quarter: Quarter): Promise<{ datasets: number; files: number }> {
    return this.locked(async (manager) => {
      const datasets: Array<{ id: number }> = await manager.query(
        `SELECT id FROM banner.datasets WHERE quarter = $1`,
        [quarter],
      );
      const ids = datasets.map((d) => d.id);
      const files: Array<{ import_id: number }> = await manager.query(
        `SELECT DISTINCT import_id FROM banner.dataset_files WHERE dataset_id = ANY($1)`,
        [ids],
      );
      const importIds = files.map((f) => f.import_id);
      for (const table of ['impressions', 'clicks', 'conversions'])
        await manager.query(`DELETE FROM banner.${table} WHERE import_id = ANY($1)`, [importIds]);
      await manager.query(`DELETE FROM banner.selections WHERE dataset_id = ANY($1)`, [ids]);
      await manager.query(`DELETE FROM banner.dataset_files WHERE dataset_id = ANY($1)`, [ids]);
      await manager.query(`DELETE FROM banner.datasets WHERE id = ANY($1)`, [ids]);
      await manager.query(`UPDATE banner.imports SET status = 'deleted' WHERE id = ANY($1)`, [
        importIds,
      ]);
      return { datasets: ids.length, files: importIds.length };
    });
  }

  /**
   * Publishes the quarter's previously published dataset again (its collections are still stored,
   * so this is instant) and marks the current one `rolled-back`. Undefined when there is none.
   */
  rollback(quarter: Quarter): Promise<{ from: number; to: number } | undefined> {
    return this.locked(async (manager) => {
      const [current]: Array<{ id: number }> = await manager.query(
        `SELECT id FROM banner.datasets WHERE quarter = $1 AND status = 'published'`,
        [quarter],
      );
      const [previous]: Array<{ id: number }> = await manager.query(
        `SELECT id FROM banner.datasets WHERE quarter = $1 AND status = 'retired' ORDER BY published_at DESC, id DESC LIMIT 1`,
        [quarter],
      );
      if (!previous) return undefined;
      if (current)
        await manager.query(`UPDATE banner.datasets SET status = 'rolled-back' WHERE id = $1`, [
          current.id,
        ]);
      await manager.query(
        `UPDATE banner.datasets SET status = 'published', published_at = now() WHERE id = $1`,
        [previous.id],
      );
      return { from: current?.id ?? 0, to: previous.id };
    });
  }

  private locked<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
      const result = await work(manager);
      await manager.query('SELECT pg_notify($1, $2)', [SELECTIONS_CHANNEL, 'all']);
      return result;
    });
  }
}
