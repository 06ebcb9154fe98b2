import { DynamicModule, Type } from '@nestjs/common';
import { AppConfigModule } from './config/app-config.module';
import { BaseEnv } from './config/env';
import { DatabaseModule, DatabaseModuleOptions } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule, LoggingOptions } from './logging/logging.module';

export interface CoreModulesOptions extends Omit<DatabaseModuleOptions, 'databaseUrl'> {
  config: BaseEnv;
  quietPaths?: RegExp[];
  excludeFromLogging?: LoggingOptions['excludeRoutes'];
}

/** What every app imports first: its validated config, JSON logging, its database, and /health. */
export function coreModules(options: CoreModulesOptions): Array<DynamicModule | Type> {
  const { config, quietPaths, excludeFromLogging, ...database } = options;
  return [
    AppConfigModule.forRoot(config),
    LoggingModule.forRoot({
      app: options.app,
      level: config.LOG_LEVEL,
      flushMs: config.LOG_FLUSH_MS,
      quietPaths,
      excludeRoutes: excludeFromLogging,
    }),
    DatabaseModule.forApp({ ...database, databaseUrl: config.DATABASE_URL }),
    HealthModule,
  ];
}
