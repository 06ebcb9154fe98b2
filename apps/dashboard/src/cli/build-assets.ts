// Build step (after tsc): copies the page's files and Plotly into dist/public with content-hashed
// names, and compresses each once (brotli at maximum quality, gzip as the fallback), so the server
// never compresses per request. Writes dist/public/manifest.json for the page module.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { APP_ROOT } from '../config';
import { AssetManifest } from '../page/asset-manifest';

const OUT = join(APP_ROOT, 'dist', 'public');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

function main(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const manifest: AssetManifest = {};
  const names: Record<string, string> = {};

  const sources = [
    ['style.css', join(APP_ROOT, 'public', 'style.css')],
    ['app.js', join(APP_ROOT, 'public', 'app.js')],
    // Plotly's own partial bundle with the traces the page draws (scatter and bar): a quarter of
    // the full plotly.js-dist bundle, so a quarter of the work to parse and run it (README).
    ['plotly.min.js', require.resolve('plotly.js-basic-dist-min/plotly-basic.min.js')],
  ];
  for (const [name, path] of sources) {
    const bytes = readFileSync(path);
    const hash = sha(bytes).slice(0, 12);
    const file = name.replace(/(\.min)?\.(js|css)$/, `.${hash}$&`);
    names[name] = file;
    manifest[`/assets/${file}`] = write(file, bytes, true);
  }

  const html = readFileSync(join(APP_ROOT, 'public', 'index.html'), 'utf8').replace(
    /\{\{(style\.css|app\.js|plotly\.min\.js)\}\}/g,
    (_, name: string) => names[name],
  );
  manifest['/'] = write('index.html', Buffer.from(html), false);

  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2));
  for (const [route, asset] of Object.entries(manifest)) {
    console.log(
      `${route}: ${asset.size} B, gzip ${asset.gzipSize} B, brotli ${asset.brotliSize} B`,
    );
  }
}

function write(file: string, bytes: Buffer, immutable: boolean): AssetManifest[string] {
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  writeFileSync(join(OUT, file), bytes);
  writeFileSync(join(OUT, `${file}.br`), brotli);
  writeFileSync(join(OUT, `${file}.gz`), gzip);
  const extension = basename(file).slice(basename(file).lastIndexOf('.'));
  return {
    file,
    contentType: TYPES[extension],
    etag: sha(bytes).slice(0, 32),
    immutable,
    size: bytes.length,
    gzipSize: gzip.length,
    brotliSize: brotli.length,
  };
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

main();
