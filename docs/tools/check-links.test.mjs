import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { anchorsOf, linksOf, slugify } from './check-links.mjs';

const script = fileURLToPath(new URL('./check-links.mjs', import.meta.url));

function write(root, file, text) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

function run(root, ...args) {
  return spawnSync(process.execPath, [script, '--root', root, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

describe('check-links CLI', () => {
  let root;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'check-links-'));
    write(root, 'docs/guide.md', '# Guide\n\n## Set up `npm` (fast)\n\ntext\n');
    write(root, 'docs/img/diagram.png', 'png');
    write(
      root,
      'docs/README.md',
      [
        '# Docs',
        '',
        'A [good link](guide.md), an [anchor](guide.md#set-up-npm-fast), an',
        '![image](img/diagram.png) and [external](https://example.com) [mail](mailto:a@b.c).',
        '',
        '```md',
        '[inside a code block](missing-in-code.md)',
        '```',
        '',
        'Inline code `[not a link](nowhere.md)` is ignored.',
        '',
        '[ref]: guide.md#guide',
      ].join('\n'),
    );
    write(
      root,
      'README.md',
      '# Root\n\nSee [the docs](docs/README.md) and [the app](apps/a/README.md).\n',
    );
    write(root, 'apps/a/README.md', '# App A\n\n[Back](../../README.md#root)\n');
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('passes when every relative link, image and anchor resolves', () => {
    const result = run(root);
    assert.equal(result.stdout, '');
    assert.equal(result.status, 0, result.stderr);
  });

  it('prints each broken link as file:line: target and fails', () => {
    write(
      root,
      'docs/broken.md',
      [
        '# Broken',
        '',
        'A [missing file](nope.md) here.',
        '',
        '![gone](img/gone.svg)',
        'and [bad anchor](guide.md#no-such-heading)',
      ].join('\n'),
    );
    write(root, 'packages/p/README.md', '# P\n\n<img src="logo.png" alt="logo">\n');
    try {
      const result = run(root);
      assert.equal(result.status, 1);
      assert.deepEqual(result.stdout.trim().split('\n'), [
        `${path.join('docs', 'broken.md')}:3: nope.md`,
        `${path.join('docs', 'broken.md')}:5: img/gone.svg`,
        `${path.join('docs', 'broken.md')}:6: guide.md#no-such-heading`,
        `${path.join('packages', 'p', 'README.md')}:3: logo.png`,
      ]);
      assert.match(result.stderr, /4 broken link\(s\)/);
    } finally {
      rmSync(path.join(root, 'docs/broken.md'));
      rmSync(path.join(root, 'packages'), { recursive: true });
    }
  });
});

describe('check-links parsing', () => {
  it('makes GitHub heading slugs, numbering duplicates', () => {
    assert.equal(
      slugify("1. Upload through the web application's API"),
      '1-upload-through-the-web-applications-api',
    );
    assert.equal(
      slugify('Within the region (multi-AZ, the common case)'),
      'within-the-region-multi-az-the-common-case',
    );
    assert.equal(slugify('`npm start` and **Docker**'), 'npm-start-and-docker');
    assert.deepEqual(
      [...anchorsOf('# A\n\n## A\n\nSetext\n------\n\n```\n# not a heading\n```\n')],
      ['a', 'a-1', 'setext'],
    );
  });

  it('finds inline, reference and HTML links with their lines, skipping code', () => {
    const links = linksOf(
      '[a](x.md "title")\n\n`[b](y.md)`\n\n[c]: <z d.md>\n<a href="w.md">w</a> [e](f(1).md)\n',
    );
    assert.deepEqual(links, [
      { target: 'x.md', line: 1 },
      { target: 'z d.md', line: 5 },
      { target: 'f(1).md', line: 6 },
      { target: 'w.md', line: 6 },
    ]);
  });
});
