import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { APP_ROOT } from '../config';
import { AssetManifest } from './asset-manifest';

export type Encoding = 'br' | 'gzip' | 'identity';

/** A built file with its three encodings, held in memory (about 4 MB in all). */
export interface Asset {
  contentType: string;
  etag: string;
  immutable: boolean;
  bodies: Record<Encoding, Buffer>;
}

const PUBLIC_DIR = join(APP_ROOT, 'dist', 'public');

/** Reads the page's prebuilt, precompressed files from dist/public once. */
@Injectable()
export class AssetsRepository {
  load(): Map<string, Asset> {
    const manifestPath = join(PUBLIC_DIR, 'manifest.json');
    if (!existsSync(manifestPath)) {
      throw new Error(
        `${manifestPath} is missing: build the app first (npm run build -w apps/dashboard)`,
      );
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as AssetManifest;
    return new Map(
      Object.entries(manifest).map(([route, entry]) => [
        route,
        {
          contentType: entry.contentType,
          etag: entry.etag,
          immutable: entry.immutable,
          bodies: {
            identity: readFileSync(join(PUBLIC_DIR, entry.file)),
            br: readFileSync(join(PUBLIC_DIR, `${entry.file}.br`)),
            gzip: readFileSync(join(PUBLIC_DIR, `${entry.file}.gz`)),
          },
        },
      ]),
    );
  }
}
