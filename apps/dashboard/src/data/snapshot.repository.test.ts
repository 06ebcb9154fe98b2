import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { APP_ROOT } from '../config';
import { Snapshot, SNAPSHOT_FILES, SnapshotError, SnapshotRepository } from './snapshot.repository';

const DATA = join(APP_ROOT, 'data');

describe('SnapshotRepository', () => {
  let snapshot: Snapshot;
  let broken: string;

  before(async () => {
    snapshot = await new SnapshotRepository().read(DATA);
    broken = mkdtempSync(join(tmpdir(), 'dashboard-snapshot-'));
  });

  after(() => rmSync(broken, { recursive: true, force: true }));

  const cumulative = (country: string, date: string) =>
    snapshot.points.find((p) => p.country === country && p.date === date);

  it('reads every Country/Region of the full JHU files, 1143 days each', () => {
    assert.equal(snapshot.countries.length, 201);
    assert.equal(snapshot.points.length, 201 * 1143);
    assert.deepEqual(cumulative('Singapore', '2023-03-09'), {
      country: 'Singapore',
      date: '2023-03-09',
      confirmed: 2_235_294,
      deaths: 1722,
    });
    assert.equal(cumulative('Singapore', '2020-04-30')?.confirmed, 16_169);
  });

  it('sums the rows of countries without a country row, and uses it where there is one', () => {
    assert.equal(cumulative('China', '2023-03-09')?.confirmed, 4_903_524);
    // France has overseas rows and a country row: the country row alone is used.
    const france = readFileSync(join(DATA, SNAPSHOT_FILES.confirmed), 'utf8')
      .split('\n')
      .find((line) => line.startsWith(',France,'))!;
    assert.equal(cumulative('France', '2023-03-09')?.confirmed, Number(france.split(',').at(-1)));
  });

  it('takes populations and ISO codes from the lookup table', () => {
    const singapore = snapshot.countries.find((c) => c.name === 'Singapore');
    assert.deepEqual(singapore, {
      name: 'Singapore',
      id: 'SG',
      code: 'SG',
      slug: 'singapore',
      kind: 'country',
      population: 5_850_343,
      lat: '1.28',
      lon: '103.83',
    });
    const tonga = snapshot.countries.find((c) => c.name === 'Tonga');
    assert.equal(tonga?.code, 'TO');
    assert.equal(tonga?.population, null);
  });

  it('names the file, line and field of a bad value', async () => {
    for (const file of Object.values(SNAPSHOT_FILES)) {
      copyFileSync(join(DATA, file), join(broken, file));
    }
    const path = join(broken, SNAPSHOT_FILES.deaths);
    const lines = readFileSync(path, 'utf8').split('\n');
    // The files end their lines with CRLF, as JHU published them.
    lines[3] = lines[3].replace(/,\d+\r$/, ',many\r');
    writeFileSync(path, lines.join('\n'));
    await assert.rejects(
      new SnapshotRepository().read(broken),
      (error: Error) =>
        error instanceof SnapshotError &&
        error.message.includes(`${path} line 4, field 3/9/23: "many" is not a whole number`),
    );
  });
});
