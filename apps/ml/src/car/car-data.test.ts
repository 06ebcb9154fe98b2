import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CAR_DATA_SHA256, CarDataError, loadCarData } from './car-data';

const SHIPPED = join(__dirname, '..', '..', 'data', 'car.data');

describe('loading car.data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'car-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped file: 1728 rows, the published checksum', () => {
    const data = loadCarData(SHIPPED);
    assert.equal(data.rows.length, 1728);
    assert.equal(data.sha256, CAR_DATA_SHA256);
  });

  it('refuses a copy whose bytes differ from the published file, naming both checksums', () => {
    const edited = join(dir, 'car.data');
    copyFileSync(SHIPPED, edited);
    appendFileSync(edited, 'vhigh,vhigh,2,2,small,low,unacc\n');
    assert.throws(
      () => loadCarData(edited),
      (error: unknown) =>
        error instanceof CarDataError &&
        error.message.includes(edited) &&
        error.message.includes(`expected ${CAR_DATA_SHA256}`),
    );
  });
});
