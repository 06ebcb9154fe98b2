import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/** 5x7 glyphs, one string of 7 rows of 5 bits each, for the few characters a banner shows. */
const GLYPHS: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  N: ['10001', '11001', '10101', '10011', '10001', '10001', '10001'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  R: ['11110', '10001', '10001', '11110', '10100', '10010', '10001'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
};

export const IMAGE_WIDTH = 600;
export const IMAGE_HEIGHT = 150;

export interface RenderedImage {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Background colour of a banner: a hue spread by the id, so neighbours look different. */
function colour(bannerId: number): [number, number, number] {
  const hue = (bannerId * 137.508) % 360;
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (0.45 - 0.25 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

const etagOf = (body: Buffer) => `"${createHash('sha1').update(body).digest('base64url')}"`;

export function renderSvg(bannerId: number): RenderedImage {
  const [r, g, b] = colour(bannerId);
  const body = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}" viewBox="0 0 ${IMAGE_WIDTH} ${IMAGE_HEIGHT}" role="img" aria-label="Banner ${bannerId}">` +
      `<rect width="100%" height="100%" fill="rgb(${r},${g},${b})"/>` +
      `<text x="50%" y="55%" dominant-baseline="middle" text-anchor="middle" font-family="sans-serif" font-size="56" fill="#fff">BANNER ${bannerId}</text></svg>`,
  );
  return { body, contentType: 'image/svg+xml', etag: etagOf(body) };
}

/** A PNG drawn pixel by pixel (RGB, no dependency): coloured background, "BANNER <id>" in white. */
export function renderPng(bannerId: number): RenderedImage {
  const [r, g, b] = colour(bannerId);
  const text = `BANNER ${bannerId}`;
  const scale = 6;
  const textWidth = (text.length * 6 - 1) * scale;
  const left = Math.max(0, Math.floor((IMAGE_WIDTH - textWidth) / 2));
  const top = Math.floor((IMAGE_HEIGHT - 7 * scale) / 2);
  const stride = IMAGE_WIDTH * 3 + 1;
  const pixels = Buffer.alloc(stride * IMAGE_HEIGHT);
  for (let y = 0; y < IMAGE_HEIGHT; y++) {
    for (let x = 0; x < IMAGE_WIDTH; x++) {
      const gx = Math.floor((x - left) / scale);
      const gy = Math.floor((y - top) / scale);
      const glyph =
        gx >= 0 && gy >= 0 && gy < 7 && gx % 6 < 5 ? GLYPHS[text[Math.floor(gx / 6)]] : undefined;
      const on = glyph !== undefined && glyph[gy][gx % 6] === '1';
      const at = y * stride + 1 + x * 3;
      pixels[at] = on ? 255 : r;
      pixels[at + 1] = on ? 255 : g;
      pixels[at + 2] = on ? 255 : b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(IMAGE_WIDTH, 0);
  header.writeUInt32BE(IMAGE_HEIGHT, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  const body = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { body, contentType: 'image/png', etag: etagOf(body) };
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
