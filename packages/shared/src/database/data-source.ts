import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface AppDataSourceOptions {
  /** The owning app; names its migrations table (`public.<app>_migrations`) and its connections. */
  app: string;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/**
 * TypeORM options every app uses: schema changes only through migrations (never synchronize),
 * each app's migration history kept apart so apps migrate independently in one database.
 */
export function appDataSourceOptions(options: AppDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: `${options.app.replace(/\W/g, '_')}_migrations`,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'warn'],
    applicationName: options.app,
    extra: { max: options.poolSize ?? 10 },
  };
}

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so replicas starting together
 * (or `npm start` beside a test run) never apply the same migration twice.
 */
export async function runMigrationsLocked(dataSource: DataSource, app: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${app}`]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${app}`]);
    await runner.release();
  }
}

/**
 * The SQL TypeORM would run to make the database match the entities. Empty when migrations and
 * entities agree; anything else means an entity changed without a migration.
 */
export async function findSchemaDrift(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}
