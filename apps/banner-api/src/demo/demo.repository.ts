import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ImportKind } from '../imports/import.entity';
import { DemoQuarter } from './demo-data';

export const DEMO_KINDS: ImportKind[] = ['impressions', 'clicks', 'conversions'];

/** The demo CSV files on disk: `<dir>/<kind>_<quarter>.csv`. */
@Injectable()
export class DemoRepository {
  fileNames(dir: string): string[] {
    return [1, 2, 3, 4].flatMap((quarter) =>
      DEMO_KINDS.map((kind) => join(dir, `${kind}_${quarter}.csv`)),
    );
  }

  async exists(dir: string): Promise<boolean> {
    const found = await Promise.all(
      this.fileNames(dir).map((file) =>
        stat(file).then(
          () => true,
          () => false,
        ),
      ),
    );
    return found.every(Boolean);
  }

  async write(dir: string, quarters: DemoQuarter[]): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    for (const [index, quarter] of quarters.entries()) {
      for (const kind of DEMO_KINDS) {
        const file = join(dir, `${kind}_${index + 1}.csv`);
        await writeFile(file, quarter[kind]);
        files.push(file);
      }
    }
    return files;
  }
}
