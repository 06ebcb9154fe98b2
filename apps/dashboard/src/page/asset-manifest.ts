/** dist/public/manifest.json: route → built file, written by cli/build-assets.ts. */
export type AssetManifest = Record<
  string,
  {
    file: string;
    contentType: string;
    /** sha256 prefix of the uncompressed bytes; each encoding gets its own strong ETag from it. */
    etag: string;
    /** Content-hashed name: cacheable for a year. Otherwise (the HTML) revalidated every time. */
    immutable: boolean;
    size: number;
    gzipSize: number;
    brotliSize: number;
  }
>;
