import { basename } from 'node:path';
import { HttpException, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
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
    const files = this.repository
      .fileNames(dir)
      .map((path) => ({ fileName: basename(path), path }));
    try {
      // One upload: the four quarters are published together, or (on a refusal) not at all.
      result.imported = (
        await this.imports.importFiles(files, { importedBy: 'demo' })
      ).imports.length;
    } catch (error) {
      // Another replica starting at the same time imported them first.
      if (!(error instanceof HttpException && error.getStatus() === 409)) throw error;
      result.alreadyImported = files.length;
    }
    this.logger.log(
      `Demo data loaded: ${result.imported} files imported, ${result.alreadyImported} already there`,
    );
    return result;
  }
}
