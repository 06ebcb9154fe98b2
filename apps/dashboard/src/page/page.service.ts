import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { Asset, AssetsRepository, Encoding } from './assets.repository';

/** What to send for one asset request. */
export interface AssetResponse {
  status: 200 | 304;
  headers: Record<string, string>;
  body?: Buffer;
}

/**
 * Serves the page and its assets: the best encoding the browser accepts (brotli, then gzip), a
 * strong ETag per encoding with 304 on a match, a year of caching for content-hashed files and
 * revalidation for the HTML.
 */
@Injectable()
export class PageService implements OnModuleInit {
  private assets = new Map<string, Asset>();

  constructor(private readonly repository: AssetsRepository) {}

  onModuleInit(): void {
    this.assets = this.repository.load();
  }

  respond(route: string, acceptEncoding = '', ifNoneMatch = ''): AssetResponse {
    const asset = this.assets.get(route);
    if (!asset) throw new NotFoundException(`No asset ${route}`);
    const encoding = chooseEncoding(acceptEncoding);
    const etag = `"${asset.etag}-${encoding}"`;
    const headers: Record<string, string> = {
      'Content-Type': asset.contentType,
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
    };
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    if (ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      return { status: 304, headers };
    }
    return { status: 200, headers, body: asset.bodies[encoding] };
  }
}

/** Picks br or gzip when the Accept-Encoding header allows it (q > 0), else identity. */
export function chooseEncoding(header: string): Encoding {
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return 'identity';
}
