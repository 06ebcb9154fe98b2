import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const isTestCode = (path: string) => /\.test\.js$/.test(path) || /(^|\/)testing\//.test(path);

/** The compiled modules under `folder`, as paths relative to it. */
async function modules(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

/** The image and the package leave out tests and dist/testing/: app code must not need them. */
describe('the shipped code', () => {
  it('imports no test file and no test helper', async () => {
    const dist = __dirname;
    const appModules = (await modules(dist)).filter((path) => !isTestCode(path));
    assert.ok(appModules.includes('main.js'));
    const offenders: string[] = [];
    for (const path of appModules) {
      const code = await readFile(join(dist, path), 'utf8');
      for (const [, target] of code.matchAll(/require\("(\.[^"]*)"\)/g)) {
        const resolved = relative(dist, join(dist, path, '..', target));
        if (isTestCode(`${resolved}.js`)) offenders.push(`${path} → ${target}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
