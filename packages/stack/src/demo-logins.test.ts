import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { demoLoginLines } from './stack';

describe('demoLoginLines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-logins-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints nothing when the sales database wrote no logins', () => {
    assert.deepEqual(demoLoginLines(join(dir, 'missing.txt')), []);
  });

  it('prints each team, user and password once, with where the file is', () => {
    const file = join(dir, 'logins.txt');
    writeFileSync(file, 'sales\tdemo-sales\tpw-1\nanalytics\tdemo-analyst\tpw-2\n', {
      mode: 0o600,
    });
    const lines = demoLoginLines(file);
    assert.match(lines[1]!, new RegExp(`Demo logins for sales-db \\(also in ${file}\\)`));
    assert.match(lines[2]!, /^ {2}sales +demo-sales +pw-1$/);
    assert.match(lines[3]!, /^ {2}analytics +demo-analyst +pw-2$/);
    assert.equal(lines.filter((line) => line.includes('pw-1')).length, 1);
  });
});
