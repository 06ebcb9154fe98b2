import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, resolveDatabaseUrl } from '@des/shared';
import { Client } from 'pg';
import { WarehouseConfig } from '../config';
import { WAREHOUSE_ROLES } from '../database/roles';
import { LoadConnectionError } from './errors';

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
      throw new LoadConnectionError(withHint(error as NodeJS.ErrnoException));
    }
    return client;
  }
}

const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** TLS errors say what failed, not what to check; add that. */
function withHint(error: NodeJS.ErrnoException): string {
  if (UNTRUSTED_CERTIFICATE.has(error.code ?? '')) {
    return `${error.message} (the server's certificate was not issued by the CA in sslrootcert)`;
  }
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `${error.message} (the host in the URL is not a name the server's certificate is for)`;
  }
  return error.message;
}
