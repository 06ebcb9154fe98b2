#!/usr/bin/env node
// Checks that every relative link and image in the documentation resolves: the target file or
// folder exists and, for `#anchor`s into markdown, the heading exists (GitHub's slug rules).
// External links (any `scheme:` such as http, https, mailto, and `//host`) are not checked.
//
//   node docs/tools/check-links.mjs                 # docs/**/*.md + READMEs of the repository
//   node docs/tools/check-links.mjs --root <dir>    # same set, under another root
//   node docs/tools/check-links.mjs a.md b.md       # only these files
//
// Prints each broken link as `file:line: target` and exits 1 if there is any.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The files checked by default: docs/**\/*.md, README.md, apps/*\/README.md, packages/*\/README.md. */
export function defaultFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) files.push(full);
    }
  };
  if (existsSync(path.join(root, 'docs'))) walk(path.join(root, 'docs'));
  if (existsSync(path.join(root, 'README.md'))) files.push(path.join(root, 'README.md'));
  for (const group of ['apps', 'packages']) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const readme = path.join(dir, entry.name, 'README.md');
      if (entry.isDirectory() && existsSync(readme)) files.push(readme);
    }
  }
  return files.sort();
}

const blank = (text) => text.replace(/[^\n]/g, ' ');

/** Blanks fenced code blocks (``` and ~~~) with spaces, keeping newlines so offsets map to lines. */
export function maskFences(markdown) {
  const lines = markdown.split('\n');
  let fence;
  for (let i = 0; i < lines.length; i += 1) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]);
    if (fence) {
      const closes =
        marker &&
        marker[1][0] === fence[0] &&
        marker[1].length >= fence.length &&
        /^ {0,3}[`~]+\s*$/.test(lines[i]);
      lines[i] = blank(lines[i]);
      if (closes) fence = undefined;
    } else if (marker) {
      fence = marker[1];
      lines[i] = blank(lines[i]);
    }
  }
  return lines.join('\n');
}

/** Blanks everything markdown does not render as links: code blocks, code spans, HTML comments. */
export function maskCode(markdown) {
  return (
    maskFences(markdown)
      .replace(/<!--[\s\S]*?-->/g, blank)
      // A code span: a run of backticks, then anything up to the same run, not across a blank line.
      .replace(/(`+)(?:(?!\n[ \t]*\n)[\s\S])*?(?<!`)\1(?!`)/g, blank)
  );
}

/** Plain text of a heading as GitHub renders it: no markup, link text kept, HTML tags dropped. */
function headingText(raw) {
  return raw
    .replace(/\s+#+\s*$/, '') // closing hashes of an ATX heading
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`+/g, '')
    .replace(/(\*\*|__|\*|~~)/g, '')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1$2')
    .trim();
}

/** GitHub's heading id: lower case, punctuation removed (except - and _), spaces to hyphens. */
export function slugify(text) {
  return headingText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a markdown file offers: heading slugs (with GitHub's -1, -2 suffixes) and HTML ids. */
export function anchorsOf(markdown) {
  // Code spans stay: their text is part of the heading's slug.
  const masked = maskFences(markdown).replace(/<!--[\s\S]*?-->/g, blank);
  const lines = masked.split('\n');
  const anchors = new Set();
  const seen = new Map();
  const add = (text) => {
    const base = slugify(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  };
  for (let i = 0; i < lines.length; i += 1) {
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*))?$/.exec(lines[i]);
    if (atx) {
      add(atx[1] ?? '');
      continue;
    }
    // Setext heading: a text line underlined with === or ---, not a table or list line.
    const next = lines[i + 1];
    if (next !== undefined && /^ {0,3}(=+|-+)\s*$/.test(next) && /\S/.test(lines[i])) {
      if (!/^\s*([-*+]\s|\d+[.)]\s|>|\|)/.test(lines[i]) && !lines[i].includes('|')) {
        add(lines[i]);
        i += 1;
      }
    }
  }
  for (const match of masked.matchAll(/<[a-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/gi)) {
    anchors.add(match[1]);
  }
  return anchors;
}

function lineAt(text, offset) {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Reads a link destination starting at `start` (just after the `(`); returns it and where it ends. */
function readDestination(text, start) {
  let i = start;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n') i += 1;
  if (text[i] === '<') {
    const end = text.indexOf('>', i);
    return end < 0 ? undefined : text.slice(i + 1, end);
  }
  let depth = 0;
  const from = i;
  for (; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      if (depth === 0) break;
      depth -= 1;
    } else if (/\s/.test(c)) break;
  }
  return text.slice(from, i);
}

/** Every link and image destination of a markdown text, with its line. */
export function linksOf(markdown) {
  const masked = maskCode(markdown);
  const links = [];
  // Inline links and images: [text](dest "title"), ![alt](dest).
  for (let i = masked.indexOf('](', 0); i >= 0; i = masked.indexOf('](', i + 2)) {
    const target = readDestination(masked, i + 2);
    if (target) links.push({ target, line: lineAt(masked, i) });
  }
  // Reference definitions: [label]: dest "title".
  for (const match of masked.matchAll(/^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm)) {
    const target = match[1].replace(/^<|>$/g, '');
    links.push({ target, line: lineAt(masked, match.index) });
  }
  // Raw HTML: <img src>, <a href>, <source src>.
  for (const match of masked.matchAll(
    /<(?:img|a|source)\b[^>]*?\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi,
  )) {
    links.push({ target: match[1] ?? match[2], line: lineAt(masked, match.index) });
  }
  return links.sort((a, b) => a.line - b.line);
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Checks one markdown file; returns its broken links as { file, line, target }. */
export function checkFile(file, root, anchorCache = new Map()) {
  const markdown = readFileSync(file, 'utf8');
  const anchorsFor = (mdFile) => {
    if (!anchorCache.has(mdFile)) anchorCache.set(mdFile, anchorsOf(readFileSync(mdFile, 'utf8')));
    return anchorCache.get(mdFile);
  };
  const broken = [];
  for (const { target, line } of linksOf(markdown)) {
    if (EXTERNAL.test(target)) continue;
    const hashAt = target.indexOf('#');
    const rawPath = (hashAt >= 0 ? target.slice(0, hashAt) : target).replace(/\?.*$/, '');
    const anchor = hashAt >= 0 ? target.slice(hashAt + 1) : '';
    let decodedPath;
    let decodedAnchor;
    try {
      decodedPath = decodeURIComponent(rawPath);
      decodedAnchor = decodeURIComponent(anchor);
    } catch {
      broken.push({ file, line, target });
      continue;
    }
    // GitHub resolves a leading slash from the repository root.
    const resolved =
      decodedPath === ''
        ? file
        : decodedPath.startsWith('/')
          ? path.join(root, decodedPath)
          : path.resolve(path.dirname(file), decodedPath);
    if (!existsSync(resolved)) {
      broken.push({ file, line, target });
      continue;
    }
    if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
      if (!anchorsFor(resolved).has(decodedAnchor)) broken.push({ file, line, target });
    }
  }
  return broken;
}

/** Checks a set of files (default: the documentation set under root). */
export function checkLinks({ root, files = defaultFiles(root) }) {
  const cache = new Map();
  return files.flatMap((file) => checkFile(path.resolve(file), root, cache));
}

function main(argv) {
  let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const files = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--root') root = path.resolve(argv[++i] ?? '.');
    else files.push(path.resolve(argv[i]));
  }
  const checked = files.length > 0 ? files : defaultFiles(root);
  const broken = checkLinks({ root, files: checked });
  for (const { file, line, target } of broken) {
    console.log(`${path.relative(process.cwd(), file)}:${line}: ${target}`);
  }
  if (broken.length > 0) {
    console.error(`${broken.length} broken link(s) in ${checked.length} file(s)`);
    return 1;
  }
  console.error(`links ok in ${checked.length} file(s)`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
