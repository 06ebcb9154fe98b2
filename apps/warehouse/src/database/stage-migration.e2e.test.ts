import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { MigrationTestDatabase } from '../testing/migration-database';
import { StageBecomesNight1764750000300 } from './migrations/1764750000300-StageBecomesNight';

const FIELDS = `'Supplier#000000001', 'an address 1', '13-123-456-7890',
  'a comment of at least twenty-five characters'`;

/** What the migration changes, as the catalog sees it. */
const SHAPE = `
  SELECT (SELECT relpersistence::text FROM pg_class
          WHERE oid = 'warehouse.supplier_stage'::regclass) AS stage,
         format_type(atttypid, atttypmod) AS amounts,
         (SELECT count(*)::int FROM warehouse.supplier_data) AS rows
  FROM pg_attribute
  WHERE attrelid = 'warehouse.supplier_data'::regclass AND attname = 's_acctbal'`;

describe('migration StageBecomesNight on a database loaded the earlier way', () => {
  const database = new MigrationTestDatabase('warehouse_stage');

  /** Runs one load's statements as the load role, in one transaction, with the next run id. */
  async function asLoad(source: DataSource, load: (id: number) => string[]): Promise<number> {
    const runner = source.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('SET LOCAL ROLE warehouse_load');
      const [{ id }] = (await runner.query(
        "SELECT nextval('warehouse.load_runs_id_seq')::int AS id",
      )) as Array<{ id: number }>;
      for (const sql of load(id)) await runner.query(sql);
      await runner.commitTransaction();
      return id;
    } finally {
      await runner.release();
    }
  }
  const earlierWay = (id: number) => [
    `SELECT warehouse.supplier_night_partition(${id})`,
    `INSERT INTO warehouse.supplier_data_${id} VALUES (now(), ${id}, 1, 3, 1.50, ${FIELDS})`,
    `SELECT warehouse.attach_supplier_night(${id})`,
  ];

  before(() => database.create());
  after(() => database.drop());

  it('keeps the history without a rewrite, publishes the stage itself, and goes back down', async () => {
    const earlier = await database.open(StageBecomesNight1764750000300);
    await earlier.runMigrations();
    const first = await asLoad(earlier, earlierWay);
    const fileNode = `SELECT relfilenode::int AS node FROM pg_class
      WHERE oid = 'warehouse.supplier_data_${first}'::regclass`;
    const [before] = (await earlier.query(fileNode)) as unknown[];
    await earlier.destroy();

    const current = await database.migrate(StageBecomesNight1764750000300);
    try {
      assert.deepEqual(await current.query(SHAPE), [{ stage: 'p', amounts: 'numeric', rows: 1 }]);
      assert.deepEqual(await current.query(fileNode), [before], 'the history is not rewritten');

      const second = await asLoad(current, (id) => [
        'TRUNCATE warehouse.supplier_stage',
        `SELECT warehouse.prepare_supplier_stage(${id})`,
        `INSERT INTO warehouse.supplier_stage (s_suppkey, s_nationkey, s_acctbal, s_name,
           s_address, s_phone, s_comment) VALUES (1, 3, 1.234, ${FIELDS})`,
        `SELECT warehouse.publish_supplier_stage(${id})`,
      ]);
      const night = (await current.query(
        `SELECT tableoid::regclass::text AS night, load_id, s_acctbal::text,
           load_ts = (SELECT max(load_ts) FROM warehouse.supplier_data) AS one_load_ts
         FROM warehouse.supplier_data
         WHERE load_id = (SELECT load_id FROM warehouse.supplier_latest WHERE s_suppkey = 1)`,
      )) as unknown[];
      assert.deepEqual(night, [
        {
          night: `warehouse.supplier_data_${second}`,
          load_id: second,
          s_acctbal: '1.234',
          one_load_ts: true,
        },
      ]);
      assert.deepEqual(
        await current.query(`SELECT count(*)::int AS n FROM warehouse.supplier_stage`),
        [{ n: 0 }],
        'a fresh stage for the next load',
      );

      await current.undoLastMigration();
      // Back to the unlogged stage, two-decimal amounts and the earlier functions.
      const third = await asLoad(current, earlierWay);
      assert.deepEqual(await current.query(SHAPE), [
        { stage: 'u', amounts: 'numeric(12,2)', rows: 3 },
      ]);
      assert.deepEqual(
        await current.query(
          'SELECT s_acctbal::text FROM warehouse.supplier_data WHERE load_id = $1',
          [third],
        ),
        [{ s_acctbal: '1.50' }],
      );
    } finally {
      await current.destroy();
    }
  });
});
