// Test-only: shared by the e2e tests, never imported by app code, and not shipped (the image
// and the package's `files` leave out dist/testing, see the app README).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { parse } from 'csv-parse/sync';
import { createApp } from '../app';

export const HEADER = 'name,email,date_of_birth,mobile_no\n';

/**
 * A pipeline on a fresh database and data folder (with its incoming folder), and what the e2e
 * tests look at: files dropped in, names a downstream reader would see, output rows.
 */
export class PipelineFixture {
  private started: INestApplication | undefined;

  private constructor(
    readonly database: TestDatabase,
    /** The data folder: incoming/, successful/, failed/, processed/, rejected/, .work/. */
    readonly dir: string,
  ) {}

  static async create(name: string): Promise<PipelineFixture> {
    const database = await createTestDatabase(name);
    const dir = await mkdtemp(join(tmpdir(), `${name}-`));
    await mkdir(join(dir, 'incoming'), { recursive: true });
    return new PipelineFixture(database, dir);
  }

  /** The app's environment: this database and folder, no cron, no demo, no quiet period. */
  env(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: this.database.url,
      LOG_LEVEL: 'silent',
      PIPELINE_DATA_DIR: this.dir,
      PIPELINE_CRON: 'off',
      DEMO_DATA: 'false',
      // Test files are complete when dropped; the quiet period has tests of its own.
      PIPELINE_QUIET_SECONDS: '0',
      ...settings,
    };
  }

  /** Starts the app (stopping the one started before, if any). */
  async start(settings: Record<string, string> = {}): Promise<INestApplication> {
    await this.stop();
    const app = await createApp(this.env(settings));
    await app.init();
    this.started = app;
    return app;
  }

  get app(): INestApplication {
    if (!this.started) throw new Error('the fixture has no app: call start() first');
    return this.started;
  }

  /** Closes the app as SIGTERM does: a running run finishes its current file first. */
  async stop(): Promise<void> {
    const app = this.started;
    this.started = undefined;
    await app?.close();
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.database.drop();
    await rm(this.dir, { recursive: true, force: true });
  }

  async dropFile(name: string, rows: string[], header = HEADER): Promise<void> {
    const content = header + rows.map((row) => `${row}\n`).join('');
    await writeFile(join(this.dir, 'incoming', name), content);
  }

  /** Names in a folder that downstream readers would see (not hidden). */
  async visible(folder: string): Promise<string[]> {
    return (await this.names(folder)).filter((name) => !name.startsWith('.'));
  }

  async hidden(folder: string): Promise<string[]> {
    return (await this.names(folder)).filter((name) => name.startsWith('.'));
  }

  /** A CSV's rows by column name; a relative path is taken from the data folder. */
  async readCsv(path: string): Promise<Array<Record<string, string>>> {
    const content = await readFile(isAbsolute(path) ? path : join(this.dir, path));
    return parse(content, { columns: true }) as Array<Record<string, string>>;
  }

  private async names(folder: string): Promise<string[]> {
    return (await readdir(join(this.dir, folder)).catch(() => [] as string[])).sort();
  }
}
