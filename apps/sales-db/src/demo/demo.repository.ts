import { Injectable } from '@nestjs/common';
import { SalesDatabase } from '../database/sales-database';

@Injectable()
export class DemoRepository {
  constructor(private readonly database: SalesDatabase) {}

  /**
   * Runs `work` holding a session advisory lock, so two app processes on one database never load
   * the demo together; returns false (without running it) when another process holds the lock.
   */
  async whileLocked(work: () => Promise<void>): Promise<boolean> {
    const client = await this.database.adminPool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('sales-db:demo')) AS locked",
      );
      if (!rows[0].locked) return false;
      try {
        await work();
        return true;
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('sales-db:demo'))");
      }
    } finally {
      client.release();
    }
  }

  hasTransactions(): Promise<boolean> {
    return this.database.asAdmin(
      async (sql) => (await sql('SELECT 1 FROM sales.transactions LIMIT 1')).length > 0,
    );
  }
}
