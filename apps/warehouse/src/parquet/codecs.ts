import { gunzipSync, gzipSync } from 'node:zlib';

/** The compressions the warehouse writes; reading accepts these and every codec hyparquet-compressors knows. */
export type ParquetCodec = 'snappy' | 'zstd' | 'gzip' | 'uncompressed';

type Codec = (input: Uint8Array, outputLength: number) => Uint8Array;
type Compressor = (input: Uint8Array) => Uint8Array;

let decompressors: Promise<Record<string, Codec>> | undefined;

/**
 * Decompressors for reading: hyparquet-compressors' (snappy in WebAssembly, zstd, brotli, lz4) with
 * gzip handed to Node's native zlib, which is several times faster than a JS inflate.
 */
export function parquetDecompressors(): Promise<Record<string, Codec>> {
  decompressors ??= import('hyparquet-compressors').then(({ compressors }) => ({
    ...(compressors as Record<string, Codec>),
    GZIP: (input: Uint8Array) => gunzipSync(input),
  }));
  return decompressors;
}

let zstdReady: Promise<(input: Uint8Array, level: number) => Uint8Array> | undefined;

/** Compressors for writing; hyparquet-writer brings snappy itself. zstd is WebAssembly (Node 20's zlib has none). */
export async function parquetCompressors(): Promise<Record<string, Compressor>> {
  zstdReady ??= import('@bokuweb/zstd-wasm').then(async ({ init, compress }) => {
    await init();
    return compress;
  });
  const zstdCompress = await zstdReady;
  return {
    ZSTD: (input) => zstdCompress(input, 3),
    GZIP: (input) => gzipSync(input),
  };
}

export function parquetCodecName(codec: ParquetCodec): 'SNAPPY' | 'ZSTD' | 'GZIP' | 'UNCOMPRESSED' {
  return codec.toUpperCase() as 'SNAPPY' | 'ZSTD' | 'GZIP' | 'UNCOMPRESSED';
}
