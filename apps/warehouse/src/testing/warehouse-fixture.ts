import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { Client } from 'pg';
import { createApp } from '../app';

/** dbgen's first supplier rows at scale 1, trailing "|" included (spaces kept as dbgen writes them). */
export const DBGEN_SUPPLIER_LINES = [
  '1|Supplier#000000001| N kD4on9OM Ipw3,gf0JBoQDd7tgrzrddZ|17|27-918-335-1736|5755.94|each slyly above the careful|',
  '2|Supplier#000000002|89eJ5ksX3ImxJQBvxObC,|5|15-679-861-2259|4032.68| slyly bold instructions. idle dependen|',
  '3|Supplier#000000003|q1,G3Pj6OjIuUYfUoH18BFTKQ5ag|1|11-383-516-1199|4192.40|blithely silent requests after the express dependencies are sl|',
  '4|Supplier#000000004|Bk7ah4CK8SYQTepEmvMkkgMwg|15|25-843-787-7479|4641.08|riously even requests above the exp|',
  '5|Supplier#000000005|Gcdm2rJRzl5qlTVzc|11|21-151-690-3663|-283.84|. slyly regular pinto bea|',
];

/** A throwaway database, source folder and app (cron off) for one test file. */
export class WarehouseFixture {
  app!: INestApplication;
  database!: TestDatabase;
  sourceDir!: string;
  private root!: string;

  async start(env: NodeJS.ProcessEnv = {}): Promise<this> {
    this.database = await createTestDatabase('warehouse');
    this.root = await mkdtemp(join(tmpdir(), 'warehouse-test-'));
    this.sourceDir = join(this.root, 'source');
    return this.restart(env);
  }

  /** A new app on the same database and source folder, with another environment. */
  async restart(env: NodeJS.ProcessEnv = {}): Promise<this> {
    await this.app?.close();
    this.app = await createApp({
      ...process.env,
      DATABASE_URL: this.database.url,
      WAREHOUSE_SOURCE_DIR: this.sourceDir,
      WAREHOUSE_SUPPLIER_CRON: 'off',
      WAREHOUSE_ORGANIC_SHARE_CRON: 'off',
      LOG_LEVEL: 'silent',
      ...env,
    });
    await this.app.init();
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.database?.drop();
    if (this.root) await rm(this.root, { recursive: true, force: true });
  }

  /**
   * With DEMO_DATA every job loads its demo delivery in the background at start: waits until each
   * of them has a run record, so a test stops no app in the middle of a load.
   */
  async demoLoadsDone(jobs = ['supplier', 'organic-share'], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.query<{ job: string }>(
        'SELECT DISTINCT job FROM warehouse.load_runs WHERE job = ANY($1)',
        [jobs],
      );
      if (rows.length === jobs.length) return;
      if (Date.now() > deadline) throw new Error(`demo loads not recorded after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Writes files into `<source>/supplier/<night>/` and returns the folder. */
  async night(night: string, files: Record<string, string | Buffer>): Promise<string> {
    const folder = join(this.sourceDir, 'supplier', night);
    await mkdir(folder, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(folder, name), content);
    }
    return folder;
  }

  /** Runs SQL as the test database's owner. */
  async query<T extends Record<string, unknown>>(
    sql: string,
    values: unknown[] = [],
  ): Promise<T[]> {
    const client = new Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }
}
