import { BadRequestException, Injectable } from '@nestjs/common';
import { RenderedImage, renderPng, renderSvg } from './banner-image';

const FILE = /^image_([0-9]{1,10})\.(png|svg)$/;
const MAX_ID = 2_147_483_647;
const CACHE_SIZE = 1000;

/** Banner images, rendered on first request and kept in a bounded cache (they never change). */
@Injectable()
export class ImagesService {
  private readonly cache = new Map<string, RenderedImage>();

  image(file: string): RenderedImage {
    const match = FILE.exec(file);
    const bannerId = match ? Number(match[1]) : NaN;
    if (!match || !(bannerId >= 1 && bannerId <= MAX_ID)) {
      throw new BadRequestException(
        `Image file must be image_<bannerId>.png or .svg with bannerId between 1 and ${MAX_ID} (got "${file.slice(0, 60)}")`,
      );
    }
    let image = this.cache.get(file);
    if (!image) {
      image = match[2] === 'png' ? renderPng(bannerId) : renderSvg(bannerId);
      // Oldest first out: Map keeps insertion order.
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(file, image);
    }
    return image;
  }
}
