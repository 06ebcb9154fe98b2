import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Sql, sqlOf } from './sql';

/**
 * The owner's side of the database: the migrating login (DATABASE_URL), for the CLI, imports,
 * bulk loads and demo loading. API requests never use it (see RequestDatabase). Its pool is
 * TypeORM's, whose idle connections close after 10 s, so a serving app keeps no owner connection.
 */
@Injectable()
export class SalesDatabase {
  readonly adminPool: Pool;

  constructor(dataSource: DataSource) {
    this.adminPool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  /** Runs `work` in one transaction as the migrating login. */
  async asAdmin<T>(work: (sql: Sql, client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.adminPool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(sqlOf(client), client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
