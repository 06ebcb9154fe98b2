import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppDataSourceOptions, appDataSourceOptions, runMigrationsLocked } from './data-source';
import { resolveDatabaseUrl } from './database-url';

export interface DatabaseModuleOptions extends Omit<AppDataSourceOptions, 'url'> {
  /** `DATABASE_URL`; when undefined the embedded PostgreSQL is used. */
  databaseUrl: string | undefined;
  /** Apply pending migrations at start-up (under an advisory lock). */
  migrate?: boolean;
}

/** One PostgreSQL connection per app, migrated to the latest schema before the app serves. */
@Module({})
export class DatabaseModule {
  static forApp(options: DatabaseModuleOptions): DynamicModule {
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => ({
            ...appDataSourceOptions({
              ...options,
              url: await resolveDatabaseUrl(options.databaseUrl),
            }),
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            const dataSource = await new DataSource(dataSourceOptions!).initialize();
            if (options.migrate ?? true) {
              const applied = await runMigrationsLocked(dataSource, options.app);
              if (applied.length) logger.log(`Applied migrations: ${applied.join(', ')}`);
            }
            return dataSource;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
