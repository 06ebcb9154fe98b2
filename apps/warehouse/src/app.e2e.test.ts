import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { foundationSuite, fuzzSuite } from '@des/shared/testing';
import { createApp } from './app';
import { SAMPLE_PARQUET } from './organic-share/organic-share.fixtures';
import { DBGEN_SUPPLIER_LINES } from './testing/warehouse-fixture';

// A source folder with one supplier night and one marketing delivery, so the fuzz's well-formed
// requests run real loads, and no request reaches the repository's own data folder.
const sourceDir = mkdtempSync(join(tmpdir(), 'warehouse-app-'));
mkdirSync(join(sourceDir, 'supplier', '20260101'), { recursive: true });
writeFileSync(
  join(sourceDir, 'supplier', '20260101', 'supplier.tbl'),
  `${DBGEN_SUPPLIER_LINES.join('\n')}\n`,
);
mkdirSync(join(sourceDir, 'marketing', '20211214'), { recursive: true });
copyFileSync(SAMPLE_PARQUET, join(sourceDir, 'marketing', '20211214', 'sample.snappy.parquet'));
after(() => rmSync(sourceDir, { recursive: true, force: true }));

const env = {
  WAREHOUSE_SOURCE_DIR: sourceDir,
  WAREHOUSE_SUPPLIER_CRON: 'off',
  WAREHOUSE_ORGANIC_SHARE_CRON: 'off',
};

foundationSuite({
  app: 'warehouse',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
  env,
});

fuzzSuite({ app: 'warehouse', createApp, env });
