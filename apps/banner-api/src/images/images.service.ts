import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CreativesRepository } from '../creatives/creatives.repository';
import { SelectionStore } from '../selection/selection.store';
import { RenderedImage, renderPng, renderSvg } from './banner-image';

const FILE = /^image_([0-9]{1,10})\.(png|svg)$/;
const MAX_ID = 2_147_483_647;
const CACHE_SIZE = 1000;
/** A creative uploaded on another replica shows here within this time. */
const CREATIVE_TTL_MS = 10_000;

/**
 * Banner images: the uploaded creative (`image_<id>.png`) when there is one, else a generated
 * placeholder for a banner that is served; 404 for any other id. Kept in a bounded cache.
 */
@Injectable()
export class ImagesService {
  private readonly placeholders = new Map<string, RenderedImage>();
  private readonly creatives = new Map<number, { image: RenderedImage | null; until: number }>();

  constructor(
    private readonly repository: CreativesRepository,
    private readonly selections: SelectionStore,
  ) {}

  async image(file: string): Promise<RenderedImage> {
    const match = FILE.exec(file);
    const bannerId = match ? Number(match[1]) : NaN;
    if (!match || !(bannerId >= 1 && bannerId <= MAX_ID)) {
      throw new BadRequestException(
        `Image file must be image_<bannerId>.png or .svg with bannerId between 1 and ${MAX_ID} (got "${file.slice(0, 60)}")`,
      );
    }
    return this.bannerImage(bannerId, match[2] as 'png' | 'svg');
  }

  async bannerImage(bannerId: number, format: 'png' | 'svg' = 'png'): Promise<RenderedImage> {
    const creative = format === 'png' ? await this.creative(bannerId) : null;
    if (creative) return creative;
    if (!this.selections.isServed(bannerId) && !(await this.creative(bannerId)))
      throw new NotFoundException(`Banner ${bannerId} is not in any dataset and has no creative`);
    const key = `${bannerId}.${format}`;
    let image = this.placeholders.get(key);
    if (!image) {
      image = format === 'png' ? renderPng(bannerId) : renderSvg(bannerId);
      // Oldest first out: Map keeps insertion order.
      if (this.placeholders.size >= CACHE_SIZE)
        this.placeholders.delete(this.placeholders.keys().next().value!);
      this.placeholders.set(key, image);
    }
    return image;
  }

  /** Forgets this process's copy, so an upload here shows at once (others within CREATIVE_TTL_MS). */
  forget(bannerId: number): void {
    this.creatives.delete(bannerId);
  }

  private async creative(bannerId: number): Promise<RenderedImage | null> {
    const cached = this.creatives.get(bannerId);
    if (cached && cached.until > Date.now()) return cached.image;
    const row = await this.repository.find(bannerId);
    const image = row
      ? { body: row.content, contentType: 'image/png', etag: `"${row.sha256.slice(0, 32)}"` }
      : null;
    if (this.creatives.size >= CACHE_SIZE)
      this.creatives.delete(this.creatives.keys().next().value!);
    this.creatives.set(bannerId, { image, until: Date.now() + CREATIVE_TTL_MS });
    return image;
  }
}
