import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

const docs = (file: string) => readFileSync(join(__dirname, '..', 'docs', file), 'utf8');

/** The ERD and the DDL in docs/ must describe every table and column the migrations create. */
describe('sales-db docs agree with the migrations', () => {
  let database: TestDatabase;
  let columns: { table_name: string; column_name: string; data_type: string }[];

  before(async () => {
    database = await createTestDatabase('sales_docs');
    const dataSource = await new DataSource(
      appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
    ).initialize();
    await runMigrationsLocked(dataSource, 'sales-db');
    columns = await dataSource.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'sales' ORDER BY table_name, ordinal_position`,
    );
    await dataSource.destroy();
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
