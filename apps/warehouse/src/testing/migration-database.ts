import assert from 'node:assert/strict';
import { appDataSourceOptions } from '@des/shared';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { migrations } from '../database/migrations';

/** A throwaway database for one migration's test: the schema just before it, then with it. */
export class MigrationTestDatabase {
  private database?: TestDatabase;

  constructor(private readonly prefix: string) {}

  async create(): Promise<void> {
    this.database = await createTestDatabase(this.prefix);
  }

  async drop(): Promise<void> {
    await this.database?.drop();
  }

  /** A data source knowing the migrations before `migration` (and it too, `including` it). */
  open(migration: (typeof migrations)[number], { including = false } = {}): Promise<DataSource> {
    if (!this.database) throw new Error('create() the database first');
    const end = migrations.indexOf(migration) + (including ? 1 : 0);
    return new DataSource(
      appDataSourceOptions({
        app: 'warehouse',
        url: this.database.url,
        entities: [],
        migrations: migrations.slice(0, end),
      }),
    ).initialize();
  }

  /** Runs `migration`, and only it, on a database migrated up to just before it. */
  async migrate(migration: (typeof migrations)[number]): Promise<DataSource> {
    const source = await this.open(migration, { including: true });
    const ran = await source.runMigrations();
    assert.deepEqual(
      ran.map((done) => done.name),
      [migration.name],
    );
    return source;
  }
}
