import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { BannerApiConfig } from '../config';
import { ImportsService } from '../imports/imports.service';
import { generateDemo } from './demo-data';
import { DemoRepository } from './demo.repository';

export interface DemoLoadResult {
  imported: number;
  alreadyImported: number;
}

/** Writes the demo CSVs and, with DEMO_DATA=true, imports them on the first start. */
@Injectable()
export class DemoService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: BannerApiConfig,
    private readonly repository: DemoRepository,
    private readonly imports: ImportsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.DEMO_DATA) return;
    // In the background: /health answers while the first import runs.
    void this.loadIfEmpty().catch((error: Error) =>
      this.logger.error(`Demo data not loaded: ${error.message}`),
    );
  }

  /** Idempotent: does nothing once any import was accepted; a file already imported is skipped. */
  async loadIfEmpty(): Promise<DemoLoadResult | undefined> {
    if (await this.imports.hasAccepted()) return undefined;
    const dir = this.config.BANNER_DEMO_DIR;
    if (!(await this.repository.exists(dir))) {
      await this.repository.write(dir, generateDemo());
      this.logger.log(`Wrote the demo CSVs to ${dir}`);
    }
    const result = { imported: 0, alreadyImported: 0 };
    for (const file of this.repository.fileNames(dir)) {
      try {
        await this.imports.importFile({
          fileName: file,
          content: await this.repository.read(file),
        });
        result.imported += 1;
      } catch (error) {
        // Another replica starting at the same time imported it first.
        if (!(error instanceof ConflictException)) throw error;
        result.alreadyImported += 1;
      }
    }
    this.logger.log(
      `Demo data loaded: ${result.imported} files imported, ${result.alreadyImported} already there`,
    );
    return result;
  }
}
