import { createHash } from 'node:crypto';
import { access, constants, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { WarehouseConfig } from '../config';
import { LoadError } from './errors';
import { Delivery, SourceFile, WarehouseJob } from './warehouse-job';

const DELIVERY_ID = /^\d{8}$/;

/** `YYYYMMDD` naming a real calendar day. */
export function isDeliveryId(value: string): boolean {
  if (!DELIVERY_ID.test(value)) return false;
  const date = new Date(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10).replace(/-/g, '') === value
  );
}

/** SHA-256 over the files' own SHA-256s, sorted: `sha256sum * | cut -c1-64 | sort | sha256sum`. */
export function contentSha256(fileHashes: string[]): string {
  const lines = [...fileHashes].sort().map((hash) => `${hash}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** The delivery folders of the jobs on disk: `<WAREHOUSE_SOURCE_DIR>/<job folder>/<YYYYMMDD>/`. */
@Injectable()
export class DeliveryFoldersRepository {
  constructor(@Inject(APP_CONFIG) private readonly config: WarehouseConfig) {}

  jobFolder(job: Pick<WarehouseJob, 'sourceFolder'>): string {
    return join(this.config.WAREHOUSE_SOURCE_DIR, job.sourceFolder);
  }

  /** Delivery ids present for a job, oldest first. */
  async list(job: Pick<WarehouseJob, 'sourceFolder'>): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.jobFolder(job), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isDirectory() && isDeliveryId(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  /**
   * The named delivery (or the newest one) and its files. A missing or empty folder, or a file
   * that cannot be read, is a LoadError naming it.
   */
  async open(job: WarehouseJob, id?: string): Promise<Delivery> {
    const jobFolder = this.jobFolder(job);
    const chosen = id ?? (await this.list(job)).at(-1);
    if (!chosen) throw new LoadError(`no delivery folder (YYYYMMDD) in ${jobFolder}`);
    const folder = join(jobFolder, chosen);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new LoadError(
        code === 'ENOENT'
          ? `no delivery ${chosen}: ${folder} does not exist`
          : `cannot read ${folder}: ${(error as Error).message}`,
      );
    }
    const ours = names.filter((name) => job.accepts(name)).sort();
    if (!ours.length) {
      throw new LoadError(`delivery ${chosen} is empty: ${folder} holds no ${job.fileKinds} files`);
    }
    const files: SourceFile[] = [];
    for (const name of ours) files.push(await this.describe(join(folder, name), name));
    return { id: chosen, folder, files };
  }

  private async describe(path: string, name: string): Promise<SourceFile> {
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a regular file');
      await access(path, constants.R_OK);
      return { name, path, bytes: info.size };
    } catch (error) {
      throw new LoadError(`${path}: cannot read (${(error as Error).message})`);
    }
  }
}
