import {
  DynamicModule,
  Injectable,
  Module,
  OnApplicationBootstrap,
  RequestMethod,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { AppConfigModule, DatabaseModule, HealthModule } from '@des/shared';
import { LoggerModule } from 'nestjs-pino';
import { CampaignsModule } from './campaigns/campaigns.module';
import { BannerApiConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { DemoModule } from './demo/demo.module';
import { ImagesModule } from './images/images.module';
import { ImportsModule } from './imports/imports.module';
import { Clock } from './selection/clock';
import { ClockModule } from './selection/clock.module';

export interface AppModuleOptions {
  /** Decides the current quarter; the system clock unless a test injects one. */
  clock?: Clock;
}

/**
 * Fastify compiles its hooks in ready(), which listen() calls but init() does not; supertest drives
 * the server right after init(), and bootstrap hooks are the last step init() awaits.
 */
@Injectable()
class FastifyReady implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onApplicationBootstrap(): Promise<void> {
    // The CLI's application context has no HTTP server.
    await this.adapterHost.httpAdapter?.getInstance<FastifyInstance>().ready();
  }
}

const APP = 'banner-api';
/** Not logged per request: health probes and images (the banner route skips the middleware). */
const QUIET = /^\/(health|images\/)/;

@Module({})
export class AppModule {
  static register(config: BannerApiConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // What coreModules() gives, assembled here for two Fastify needs it has no option for:
        // the banner route kept out of the logging middleware altogether, and quiet paths matched on
        // the original URL (middie hands the middleware a URL with its mount path stripped).
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            base: { app: APP },
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
            ],
            autoLogging: {
              ignore: (req) =>
                QUIET.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''),
            },
          },
          exclude: [{ path: 'campaigns/:campaignId', method: RequestMethod.GET }],
        }),
        DatabaseModule.forApp({ app: APP, entities, migrations, databaseUrl: config.DATABASE_URL }),
        HealthModule,
        ClockModule.forRoot(options.clock),
        CampaignsModule,
        ImagesModule,
        ImportsModule,
        DemoModule,
      ],
      providers: [FastifyReady],
    };
  }
}
