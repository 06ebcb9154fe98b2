import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { escapeIdentifier, escapeLiteral, Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { SalesRoles, SalesUser } from '../auth/teams';
import { SalesDbConfig } from '../config';
import { DatabaseBusyException, httpErrorFor, isPoolTimeout } from './pg-errors';
import { Sql, sqlOf } from './sql';

export type RequestPoolConfig = Pick<
  SalesDbConfig,
  | 'SALES_DB_POOL_SIZE'
  | 'SALES_DB_POOL_WAIT_MS'
  | 'SALES_DB_POOL_IDLE_SECONDS'
  | 'SALES_DB_STATEMENT_TIMEOUT_MS'
  | 'SALES_DB_LOCK_TIMEOUT_MS'
  | 'SALES_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'
>;

export interface RequestPoolState {
  size: number;
  max: number;
  idle: number;
  waiting: number;
}

/**
 * The API's side of the database: a least-privilege login whose every request runs in one
 * transaction under `SET LOCAL ROLE <user>`, so a request only ever has its user's rights.
 * Each connection carries statement, lock and idle-in-transaction timeouts, and the wait for a
 * connection is bounded: a locked table or a full pool is a 503, never a hang. `/health` has
 * its own single connection, so it answers while the request pool is saturated.
 */
@Injectable()
export class RequestDatabase implements OnModuleDestroy {
  private readonly pool: Pool;
  private readonly healthPool: Pool;
  private readonly retryAfterSeconds: number;
  /** Each verified user's opening statements, built once: the auth cache keeps the same object. */
  private readonly beginTexts = new WeakMap<SalesUser, string>();

  constructor(
    url: string,
    readonly roles: SalesRoles,
    private readonly config: RequestPoolConfig,
  ) {
    this.pool = new Pool({
      connectionString: url,
      application_name: 'sales-db-api',
      max: config.SALES_DB_POOL_SIZE,
      connectionTimeoutMillis: config.SALES_DB_POOL_WAIT_MS,
      idleTimeoutMillis: config.SALES_DB_POOL_IDLE_SECONDS * 1000,
      statement_timeout: config.SALES_DB_STATEMENT_TIMEOUT_MS,
      lock_timeout: config.SALES_DB_LOCK_TIMEOUT_MS,
      idle_in_transaction_session_timeout: config.SALES_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    });
    this.healthPool = new Pool({
      connectionString: url,
      application_name: 'sales-db-health',
      max: 1,
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: 1000,
      statement_timeout: 1000,
    });
    // Errors of idle connections (server restart) must not crash the process; the next
    // request gets a fresh connection.
    this.pool.on('error', () => undefined);
    this.healthPool.on('error', () => undefined);
    this.retryAfterSeconds = Math.max(1, Math.ceil(config.SALES_DB_STATEMENT_TIMEOUT_MS / 1000));
  }

  /** Runs `work` as the API user's own LOGIN role (which inherits its team's privileges). */
  async asUser<T>(user: SalesUser, action: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let failed: unknown;
    try {
      await client.query(this.begin(user));
      const result = await work(sqlOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failed = await this.rollback(client, error);
      throw httpErrorFor(error, user, action, this.retryAfterSeconds);
    } finally {
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  /**
   * One read in one round trip: BEGIN, the credential check, the role switch, `text` and COMMIT
   * go to PostgreSQL as one simple-protocol message. `text` must hold no parameters: callers
   * inline only validated integers and fixed words.
   */
  async readAsUser<R extends QueryResultRow>(
    user: SalesUser,
    action: string,
    text: string,
  ): Promise<R[]> {
    const client = await this.connect();
    let failed: unknown;
    try {
      const results = (await client.query(
        `${this.begin(user)};\n${text}\n; COMMIT`,
      )) as unknown as QueryResult<R>[];
      return results[results.length - 2].rows;
    } catch (error) {
      failed = await this.rollback(client, error);
      throw httpErrorFor(error, user, action, this.retryAfterSeconds);
    } finally {
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  /** Runs `work` as the app's own NOLOGIN role (credential lookups). */
  async asApp<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let failed: unknown;
    try {
      await client.query(`BEGIN; SET LOCAL ROLE ${escapeIdentifier(this.roles.app)}`);
      const result = await work(sqlOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failed = await this.rollback(client, error);
      throw httpErrorFor(error, undefined, 'check credentials', this.retryAfterSeconds);
    } finally {
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  /** `SELECT 1` on the health connection, bounded by its own short timeouts. */
  async ping(): Promise<void> {
    await this.healthPool.query('SELECT 1');
  }

  poolState(): RequestPoolState {
    return {
      size: this.pool.totalCount,
      max: this.config.SALES_DB_POOL_SIZE,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
    };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.pool.end(), this.healthPool.end()]);
  }

  /**
   * Opens the request's transaction: the credential the API cached must still be the stored one
   * (a changed or removed user is refused at once), then the role becomes the user's.
   */
  private begin(user: SalesUser): string {
    let text = this.beginTexts.get(user);
    if (text === undefined) this.beginTexts.set(user, (text = this.beginText(user)));
    return text;
  }

  private beginText(user: SalesUser): string {
    return [
      'BEGIN',
      `SET LOCAL ROLE ${escapeIdentifier(this.roles.app)}`,
      `SELECT sales.require_credential(${escapeLiteral(user.name)}, ${escapeLiteral(user.credential)})`,
      `SET LOCAL ROLE ${escapeIdentifier(user.name)}`,
    ].join('; ');
  }

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      if (isPoolTimeout(error)) {
        throw new DatabaseBusyException(
          'all database connections are busy',
          this.retryAfterSeconds,
        );
      }
      throw error;
    }
  }

  /** Rolls back; returns an error when the connection is unusable and must be discarded. */
  private async rollback(client: PoolClient, cause: unknown): Promise<unknown> {
    try {
      await client.query('ROLLBACK');
      return undefined;
    } catch {
      return cause instanceof Error ? cause : new Error('rollback failed');
    }
  }
}
