import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { APP_ROLE, SalesUser } from '../auth/teams';
import { SalesDbConfig } from '../config';
import { httpErrorFor } from './pg-errors';
import { Sql, sqlOf } from './sql';

/**
 * Runs SQL in one transaction under a chosen role (`SET LOCAL ROLE`), so whatever login the pool
 * uses, a request only ever has the rights of the user it authenticated as.
 */
@Injectable()
export class SalesDatabase implements OnModuleDestroy {
  /** Requests' pool (SALES_API_DATABASE_URL, else the migrating login's pool). */
  readonly pool: Pool;
  /** The migrating login's pool, for imports and bulk loads (never used for API requests). */
  readonly adminPool: Pool;
  private readonly ownsPool: boolean;

  constructor(
    dataSource: DataSource,
    @Inject(APP_CONFIG) config: Pick<SalesDbConfig, 'SALES_API_DATABASE_URL'>,
  ) {
    this.adminPool = (dataSource.driver as PostgresDriver).master as Pool;
    this.ownsPool = Boolean(config.SALES_API_DATABASE_URL);
    this.pool = config.SALES_API_DATABASE_URL
      ? new Pool({
          connectionString: config.SALES_API_DATABASE_URL,
          application_name: 'sales-db-api',
        })
      : this.adminPool;
  }

  /** Runs `work` as the API user's own LOGIN role (which inherits its team's privileges). */
  asUser<T>(user: SalesUser, action: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.inTransaction(user.name, work).catch((error: unknown) => {
      throw httpErrorFor(error, user, action);
    });
  }

  /** Runs `work` as the app's own NOLOGIN role (credential lookups). */
  asApp<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.inTransaction(APP_ROLE, work);
  }

  /** Runs `work` in one transaction as the migrating login (CLI imports, demo and bulk loads). */
  asAdmin<T>(work: (sql: Sql, client: PoolClient) => Promise<T>): Promise<T> {
    return this.inTransaction(undefined, work);
  }

  private async inTransaction<T>(
    role: string | undefined,
    work: (sql: Sql, client: PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await (role ? this.pool : this.adminPool).connect();
    try {
      await client.query('BEGIN');
      if (role) await client.query(`SET LOCAL ROLE ${client.escapeIdentifier(role)}`);
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

  async onModuleDestroy(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
