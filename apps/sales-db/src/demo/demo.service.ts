import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG } from '@des/shared';
import { SalesDbConfig } from '../config';
import { GeneratorService } from '../generator/generator.service';
import { MembersImportService } from '../members/members-import.service';
import { DemoLoginsService } from './demo-logins.service';
import { DemoRepository } from './demo.repository';

/** Members shipped with the app in the pipeline's output format, for a demo before any pipeline run. */
export const DEMO_MEMBERS_CSV = join(__dirname, '..', '..', 'demo', 'members.csv');

/**
 * With DEMO_DATA=true: imports the demo members and the pipeline's successful outputs (when that
 * folder exists), then, on first start only, the catalogue and a few hundred transactions. Runs
 * in the background so /health answers at once; every step is idempotent.
 */
@Injectable()
export class DemoService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DemoService.name);
  private poll?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: SalesDbConfig,
    private readonly demo: DemoRepository,
    private readonly importer: MembersImportService,
    private readonly generator: GeneratorService,
    private readonly logins: DemoLoginsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Before the app answers /health, so `npm start` prints them beside the URLs.
    await this.logins
      .ensure()
      .catch((error: unknown) => this.logger.error({ err: error }, 'demo logins not created'));
    if (!this.config.DEMO_DATA) return;
    void this.load().catch((error: unknown) =>
      this.logger.error({ err: error }, 'demo data failed to load'),
    );
    // The pipeline starts beside this app and writes its outputs later: pick them up as they come.
    if (this.config.SALES_MEMBERS_POLL_SECONDS > 0) {
      this.poll = setInterval(() => {
        void this.importPipelineOutputs().catch((error: unknown) =>
          this.logger.error({ err: error }, 'pipeline outputs failed to import'),
        );
      }, this.config.SALES_MEMBERS_POLL_SECONDS * 1000);
      this.poll.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.poll);
  }

  /** Imports the pipeline's successful folder when it exists (idempotent). */
  async importPipelineOutputs(): Promise<void> {
    if (existsSync(this.config.SALES_MEMBERS_DIR)) {
      await this.importer.import(this.config.SALES_MEMBERS_DIR);
    }
  }

  async load(): Promise<void> {
    const loaded = await this.demo.whileLocked(async () => {
      await this.importer.import(DEMO_MEMBERS_CSV);
      await this.importPipelineOutputs();
      if (this.config.SALES_DEMO_TRANSACTIONS > 0 && !(await this.demo.hasTransactions())) {
        await this.generator.generate({ transactions: this.config.SALES_DEMO_TRANSACTIONS });
      }
    });
    this.logger.log(loaded ? 'demo data ready' : 'demo data is being loaded by another process');
  }
}
