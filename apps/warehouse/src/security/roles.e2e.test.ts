import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import request from 'supertest';
import { runLoginCommand } from '../cli/logins';
import { DBGEN_SUPPLIER_LINES, WarehouseFixture } from '../testing/warehouse-fixture';

const suffix = randomBytes(3).toString('hex');
const loader = { name: `wh_loader_${suffix}`, password: randomBytes(12).toString('base64url') };
const analyst = { name: `wh_analyst_${suffix}`, password: randomBytes(12).toString('base64url') };

/** The database's URL with another login. */
function as(databaseUrl: string, login: { name: string; password: string }): string {
  const url = new URL(databaseUrl);
  url.username = login.name;
  url.password = login.password;
  return url.toString();
}

async function attempt(url: string, sql: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return 'allowed';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}

describe('least privilege: the load login and the analyst login', () => {
  const fixture = new WarehouseFixture();
  let adminUrl: string;

  before(async () => {
    // Migrate (the group roles), make the logins, then run the app's loads as the loader.
    await fixture.start();
    adminUrl = fixture.database.url;
    for (const [login, role] of [
      [loader, 'load'],
      [analyst, 'analyst'],
    ] as const) {
      await runLoginCommand(adminUrl, {
        action: 'create',
        name: login.name,
        role,
        password: login.password,
      });
    }
    // The loader's password from a file, not from the URL.
    const passwordFile = join(fixture.sourceDir, '..', 'loader.password');
    await writeFile(passwordFile, `${loader.password}\n`, { mode: 0o600 });
    await fixture.restart({
      WAREHOUSE_LOAD_DATABASE_URL: as(adminUrl, { name: loader.name, password: '' }),
      WAREHOUSE_LOAD_PASSWORD_FILE: passwordFile,
    });
  });

  after(async () => {
    await fixture.app?.close();
    for (const login of [loader, analyst]) {
      await runLoginCommand(adminUrl, { action: 'drop', name: login.name });
    }
    await fixture.stop();
  });

  /** The night the loader loaded: its own partition of the history. */
  let night: string;

  it('loads a night as the dedicated load login', async () => {
    await fixture.night('20261201', {
      'supplier.tbl': DBGEN_SUPPLIER_LINES.map((line) => `${line}\n`).join(''),
    });
    const response = await request(fixture.app.getHttpServer()).post('/loads/supplier').expect(201);
    assert.equal(response.body.outcome, 'loaded');
    assert.equal(response.body.runBy, loader.name);
    night = `warehouse.supplier_data_${response.body.id}`;
  });

  it('lets the load login rewrite or read nothing it does not need', async () => {
    const url = as(adminUrl, loader);
    for (const sql of [
      'UPDATE warehouse.supplier_data SET s_acctbal = 0',
      'DELETE FROM warehouse.supplier_data',
      'TRUNCATE warehouse.supplier_data',
      'SELECT * FROM warehouse.supplier_data',
      "UPDATE warehouse.load_runs SET error = 'x'",
      'DELETE FROM warehouse.load_runs',
      'CREATE TABLE warehouse.mine (x int)',
      // The night's partition, once attached, is history like the rest.
      `UPDATE ${night} SET s_acctbal = 0`,
      `DELETE FROM ${night}`,
      `TRUNCATE ${night}`,
      `INSERT INTO ${night} SELECT * FROM ${night}`,
      `INSERT INTO warehouse.supplier_data SELECT * FROM ${night}`,
    ]) {
      assert.match(await attempt(url, sql), /permission denied/, sql);
    }
    for (const sql of [
      `DROP TABLE ${night}`,
      `ALTER TABLE warehouse.supplier_data DETACH PARTITION ${night}`,
    ]) {
      assert.match(await attempt(url, sql), /must be owner/, sql);
    }
  });

  it('lets the load login prepare and publish only the stage of a run in progress', async () => {
    const url = as(adminUrl, loader);
    const loadId = night.replace(/\D+/, '');
    assert.match(
      await attempt(url, `SELECT warehouse.prepare_supplier_stage(${loadId})`),
      /load \d+ is not a run in progress/,
      'a recorded run gets no second night',
    );
    assert.match(
      await attempt(url, 'SELECT warehouse.prepare_supplier_stage(999999)'),
      /load 999999 is not a run in progress/,
      'nor does an id the sequence has not given out',
    );
    for (const id of [loadId, '999999']) {
      assert.match(
        await attempt(url, `SELECT warehouse.publish_supplier_stage(${id})`),
        new RegExp(`supplier_stage was not prepared for load ${id}`),
      );
    }
    assert.match(
      await attempt(url, `SELECT warehouse.attach_supplier_night(${loadId})`),
      /permission denied/,
      'attaching is left to publish_supplier_stage',
    );
    for (const sql of [
      'ALTER TABLE warehouse.supplier_stage ALTER load_id SET DEFAULT 1',
      'ALTER TABLE warehouse.supplier_stage RENAME TO mine',
    ]) {
      assert.match(await attempt(url, sql), /must be owner/, sql);
    }
  });

  it('lets the analyst read history and load records, and write nothing', async () => {
    const url = as(adminUrl, analyst);
    for (const sql of [
      'SELECT count(*) FROM warehouse.supplier_data',
      'SELECT count(*) FROM warehouse.supplier_latest',
      'SELECT count(*) FROM warehouse.load_runs',
    ]) {
      assert.equal(await attempt(url, sql), 'allowed', sql);
    }
    for (const sql of [
      'INSERT INTO warehouse.supplier_data SELECT * FROM warehouse.supplier_data',
      'DELETE FROM warehouse.supplier_data',
      'SELECT * FROM warehouse.supplier_stage',
      'TRUNCATE warehouse.supplier_stage',
      'INSERT INTO warehouse.load_runs (job, process, trigger, outcome, started_at) VALUES (1, 1, 1, 1, now())',
      'SELECT warehouse.prepare_supplier_stage(999999)',
      'SELECT warehouse.publish_supplier_stage(999999)',
      'SELECT warehouse.attach_supplier_night(999999)',
    ]) {
      assert.match(await attempt(url, sql), /permission denied/, sql);
    }
  });

  it('switches the app login to warehouse_load for loads when no load login is set', async () => {
    const plain = new WarehouseFixture();
    await plain.start();
    try {
      await plain.night('20261201', {
        'supplier.tbl': DBGEN_SUPPLIER_LINES.map((line) => `${line}\n`).join(''),
      });
      const response = await request(plain.app.getHttpServer()).post('/loads/supplier').expect(201);
      assert.equal(response.body.runBy, 'warehouse_load');
    } finally {
      await plain.stop();
    }
  });
});
