import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { salesRoles } from '../auth/teams';
import { SalesDbConfig } from '../config';
import { ensureApiLogin } from './api-login';
import { RequestDatabase } from './request-database';
import { SalesDatabase } from './sales-database';

/**
 * The owner's connection (migrations, imports, demo) and the API's request pool. The request
 * pool logs in as SALES_API_DATABASE_URL when given, otherwise as the app's own least-privilege
 * login, which is created here right after the migrations.
 */
@Global()
@Module({
  providers: [
    SalesDatabase,
    {
      provide: RequestDatabase,
      inject: [DataSource, SalesDatabase, APP_CONFIG],
      useFactory: async (dataSource: DataSource, owner: SalesDatabase, config: SalesDbConfig) => {
        const [{ name }] = await dataSource.query<{ name: string }[]>(
          'SELECT current_database() AS name',
        );
        const roles = salesRoles(name);
        const url =
          config.SALES_API_DATABASE_URL ??
          (await ensureApiLogin(
            owner.adminPool,
            roles,
            String((dataSource.options as PostgresConnectionOptions).url),
          ));
        return new RequestDatabase(url, roles, config);
      },
    },
  ],
  exports: [SalesDatabase, RequestDatabase],
})
export class SalesDatabaseModule {}
