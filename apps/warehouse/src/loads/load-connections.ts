import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, resolveDatabaseUrl } from '@des/shared';
import { Client } from 'pg';
import { WarehouseConfig } from '../config';
import { WAREHOUSE_ROLES } from '../database/roles';
import { LoadError } from './errors';

/**
 * Connections for runs: the dedicated least-privilege login (WAREHOUSE_LOAD_DATABASE_URL, where
 * `sslmode=verify-full&sslrootcert=...` demands verified TLS), or else the app's own login
 * switched to the `warehouse_load` role, so PostgreSQL enforces the same privileges either way.
 */
@Injectable()
export class LoadConnections {
  constructor(@Inject(APP_CONFIG) private readonly config: WarehouseConfig) {}

  async open(): Promise<Client> {
    const dedicated = this.config.WAREHOUSE_LOAD_DATABASE_URL;
    const client = new Client({
      connectionString: dedicated ?? (await resolveDatabaseUrl(this.config.DATABASE_URL)),
      application_name: 'warehouse-load',
    });
    try {
      await client.connect();
      if (!dedicated) await client.query(`SET ROLE ${WAREHOUSE_ROLES.load}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      // The message of pg/TLS errors names the cause; the URL (and its password) is not repeated.
      throw new LoadError(`cannot connect for the load: ${(error as Error).message}`);
    }
    return client;
  }
}
