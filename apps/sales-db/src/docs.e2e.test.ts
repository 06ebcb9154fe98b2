import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { salesRoles } from './auth/teams';
import { createSalesTestDatabase } from './e2e-fixtures';

const docsPath = (file: string) => join(__dirname, '..', 'docs', file);
const docs = (file: string) => readFileSync(docsPath(file), 'utf8');

const SCHEMA_HEADER = [
  '-- The DDL the sales-db migrations produce (schema sales), regenerated with:',
  '--   pg_dump --schema-only --schema=sales --no-owner <database after migrations>',
  '-- Role names carry their database: sales_<database>_<team|app|system> (DatabaseScopedRoles).',
].join('\n');

/** pg_dump's output without its comments, session settings and version-specific lines. */
function dumpSchema(url: string, database: string): string | undefined {
  const dump = spawnSync('pg_dump', ['--schema-only', '--schema=sales', '--no-owner', url], {
    encoding: 'utf8',
  });
  if (dump.error || dump.status !== 0) return undefined;
  const body = dump.stdout
    .split('\n')
    .filter((line) => !/^(--|SET |SELECT pg_catalog|\\restrict|\\unrestrict)/.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replaceAll(salesRoles(database).app.replace(/app$/, ''), 'sales_<database>_');
  return `${SCHEMA_HEADER}\n\n${body.trim()}\n`;
}

/** The ERD and the DDL in docs/ must describe every table and column the migrations create. */
describe('sales-db docs agree with the migrations', () => {
  let database: TestDatabase;
  let columns: { table_name: string; column_name: string; data_type: string }[];
  let dumped: string | undefined;

  before(async () => {
    database = await createSalesTestDatabase('sales_docs');
    const dataSource = await new DataSource(
      appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
    ).initialize();
    await runMigrationsLocked(dataSource, 'sales-db');
    columns = await dataSource.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'sales' ORDER BY table_name, ordinal_position`,
    );
    await dataSource.destroy();
    dumped = dumpSchema(database.url, database.name);
  });

  after(async () => database?.drop());

  it('the mermaid ERD lists every table with every column', () => {
    const erd = docs('erd.md');
    const blocks = new Map<string, string>();
    for (const match of erd.matchAll(/^ {2}(\w+) \{\n([\s\S]*?)\n {2}\}/gm))
      blocks.set(match[1], match[2]);
    const missing = columns
      .filter(
        (c) =>
          !new RegExp(`^\\s+\\w+ ${c.column_name}\\b`, 'm').test(blocks.get(c.table_name) ?? ''),
      )
      .map((c) => `${c.table_name}.${c.column_name}`);
    assert.deepEqual(missing, []);
    const documented = [...blocks.keys()].sort();
    assert.deepEqual(documented, [...new Set(columns.map((c) => c.table_name))].sort());
  });

  it('schema.sql is what pg_dump prints for the migrated schema', (t) => {
    if (!dumped) return t.skip('pg_dump is not installed');
    // SALES_WRITE_SCHEMA=1 npm test -w apps/sales-db regenerates it after a migration change.
    if (process.env.SALES_WRITE_SCHEMA === '1') writeFileSync(docsPath('schema.sql'), dumped);
    assert.equal(
      docs('schema.sql')
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd(),
      dumped.trimEnd(),
    );
  });

  it('schema.sql has every table and column', () => {
    const ddl = docs('schema.sql');
    const missing = columns
      .filter((c) => {
        const table = new RegExp(`CREATE TABLE sales\\.${c.table_name} \\(([\\s\\S]*?)\\n\\)`).exec(
          ddl,
        );
        return !table || !new RegExp(`^\\s+${c.column_name} `, 'm').test(table[1]);
      })
      .map((c) => `${c.table_name}.${c.column_name}`);
    assert.deepEqual(missing, []);
  });
});
