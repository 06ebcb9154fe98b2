#!/usr/bin/env node
// Renders every ```mermaid block of the given markdown files to SVG and PNG beside the file, so
// readers without a mermaid-aware viewer (offline, print, plain image viewers) still see them.
// Runs fully offline: mermaid's bundle comes from node_modules and the browser is the system
// chromium driven by playwright-core (no downloaded browser, no CDN).
//
//   node docs/tools/render-diagrams.mjs docs/system-design/image-processing.md [more.md ...]
//   node docs/tools/render-diagrams.mjs --check docs/system-design/image-processing.md
//
// Output names: a block preceded by `<!-- diagram: NAME -->` becomes NAME.svg / NAME.png; any
// other block becomes <markdown basename>-<n>.svg / .png (n counts blocks from 1). Each SVG
// records the SHA-256 of its mermaid source, so `--check` (no browser needed) fails when a
// diagram was edited without being re-rendered.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The same browser and flags as the project's browser tests (packages/shared, built by npm run build).
const { CHROMIUM_ARGS, findChromium } = createRequire(import.meta.url)('@des/shared/browser');

const HASH_MARK = 'mermaid-source-sha256:';

/** Finds the mermaid blocks of a markdown text with their output names and source lines. */
export function extractDiagrams(markdown, markdownPath) {
  const lines = markdown.split(/\r?\n/);
  const base = path.basename(markdownPath, path.extname(markdownPath));
  const diagrams = [];
  let pendingName;
  for (let i = 0; i < lines.length; i += 1) {
    const named = /^<!--\s*diagram:\s*([\w.-]+)\s*-->\s*$/.exec(lines[i].trim());
    if (named) {
      pendingName = named[1];
      continue;
    }
    const open = /^(\s*)(`{3,}|~{3,})\s*mermaid\s*$/.exec(lines[i]);
    if (!open) {
      if (lines[i].trim() !== '') pendingName = undefined;
      continue;
    }
    const fence = open[2];
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
    if (j >= lines.length) {
      throw new Error(`${markdownPath}:${i + 1}: mermaid block is never closed`);
    }
    const n = diagrams.length + 1;
    diagrams.push({ name: pendingName ?? `${base}-${n}`, line: i + 1, source: body.join('\n') });
    pendingName = undefined;
    i = j;
  }
  return diagrams;
}

export function sourceHash(source) {
  return createHash('sha256').update(source).digest('hex');
}

async function renderAll(files) {
  const { chromium } = await import('playwright-core');
  const require = createRequire(import.meta.url);
  const mermaidBundle = require.resolve('mermaid/dist/mermaid.min.js');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    // Refuse anything but the inline page: the render must not depend on the network.
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"></body>');
    await page.addScriptTag({ path: mermaidBundle });
    await page.evaluate(() => {
      globalThis.mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        theme: 'default',
        // Plain SVG <text> labels instead of HTML in <foreignObject>: image viewers and
        // converters that are not browsers drop foreignObject content.
        htmlLabels: false,
        flowchart: { htmlLabels: false, useMaxWidth: false, wrappingWidth: 320 },
        fontFamily: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
      });
    });
    for (const file of files) {
      const markdown = await readFile(file, 'utf8');
      const dir = path.dirname(file);
      for (const diagram of extractDiagrams(markdown, file)) {
        const svg = await page
          .evaluate(
            async ({ id, source }) => {
              const result = await globalThis.mermaid.render(id, source);
              globalThis.document.body.innerHTML = result.svg;
              return result.svg;
            },
            { id: `mermaid-${diagram.name.replace(/[^\w-]/g, '-')}`, source: diagram.source },
          )
          .catch((error) => {
            throw new Error(`${file}:${diagram.line}: mermaid could not render: ${error.message}`);
          });
        const svgPath = path.join(dir, `${diagram.name}.svg`);
        const pngPath = path.join(dir, `${diagram.name}.png`);
        const stamped = svg.replace(
          /^<svg/,
          `<!-- ${HASH_MARK}${sourceHash(diagram.source)} -->\n<svg`,
        );
        await writeFile(svgPath, `<?xml version="1.0" encoding="UTF-8"?>\n${stamped}\n`);
        await page.locator('body > svg').screenshot({ path: pngPath, omitBackground: false });
        console.log(`${file}:${diagram.line} -> ${svgPath}, ${pngPath}`);
      }
    }
  } finally {
    await browser.close();
  }
}

async function checkAll(files) {
  let stale = 0;
  for (const file of files) {
    const markdown = await readFile(file, 'utf8');
    for (const diagram of extractDiagrams(markdown, file)) {
      const svgPath = path.join(path.dirname(file), `${diagram.name}.svg`);
      const svg = await readFile(svgPath, 'utf8').catch(() => '');
      if (!svg.includes(`${HASH_MARK}${sourceHash(diagram.source)}`)) {
        console.error(
          `${file}:${diagram.line}: ${svgPath} is missing or not rendered from this source`,
        );
        stale += 1;
      }
    }
  }
  return stale;
}

async function main(argv) {
  const check = argv.includes('--check');
  const files = argv.filter((arg) => arg !== '--check');
  if (files.length === 0) {
    console.error('usage: node docs/tools/render-diagrams.mjs [--check] <file.md> [more.md ...]');
    return 2;
  }
  if (check) {
    const stale = await checkAll(files);
    if (stale > 0)
      console.error(
        `${stale} diagram(s) need: node docs/tools/render-diagrams.mjs ${files.join(' ')}`,
      );
    return stale > 0 ? 1 : 0;
  }
  await renderAll(files);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
