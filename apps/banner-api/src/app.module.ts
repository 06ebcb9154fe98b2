import {
  DynamicModule,
  Injectable,
  Module,
  OnApplicationBootstrap,
  RequestMethod,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { coreModules } from '@des/shared';
import { AuthModule } from './auth/auth.module';
import { BannerSecrets, resolveSecrets } from './auth/secrets';
import { CampaignsModule } from './campaigns/campaigns.module';
import { BannerApiConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { DatasetsModule } from './datasets/datasets.module';
import { DemoModule } from './demo/demo.module';
import { ImagesModule } from './images/images.module';
import { ImportsModule } from './imports/imports.module';
import { Clock } from './selection/clock';
import { ClockModule } from './selection/clock.module';

export interface AppModuleOptions {
  /** Decides the current time; the system clock unless a test injects one. */
  clock?: Clock;
  /** Resolved from the environment (and .data/ outside production) unless given. */
  secrets?: BannerSecrets;
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

/** Not logged per request: health probes and images (the banner route skips the middleware). */
const QUIET = [/^\/images\//];

@Module({})
export class AppModule {
  static register(config: BannerApiConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules({
          app: 'banner-api',
          config,
          entities,
          migrations,
          quietPaths: QUIET,
          excludeFromLogging: [{ path: 'campaigns/:campaignId', method: RequestMethod.GET }],
        }),
        AuthModule.forRoot(options.secrets ?? resolveSecrets(config)),
        ClockModule.forRoot(options.clock),
        CampaignsModule,
        ImagesModule,
        ImportsModule,
        DatasetsModule,
        DemoModule,
      ],
      providers: [FastifyReady],
    };
  }
}
