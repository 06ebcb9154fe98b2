import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MigrationTestDatabase } from '../testing/migration-database';
import { PartitionSupplierHistory1764750000200 } from './migrations/1764750000200-PartitionSupplierHistory';

const ROW = `now(), $1, $2, 3, 1.50, 'Supplier#000000001', 'an address 1', '13-123-456-7890',
  'a comment of at least twenty-five characters'`;

describe('migration PartitionSupplierHistory on a history loaded before it', () => {
  const database = new MigrationTestDatabase('warehouse_partition');

  before(() => database.create());
  after(() => database.drop());

  it('keeps every earlier row, as one partition, and takes later nights as their own', async () => {
    const earlier = await database.open(PartitionSupplierHistory1764750000200);
    await earlier.runMigrations();
    for (const [loadId, key] of [
      [1, 1],
      [1, 2],
      [2, 1],
    ]) {
      await earlier.query(`INSERT INTO warehouse.supplier_data VALUES (${ROW})`, [loadId, key]);
    }
    await earlier.query("SELECT setval('warehouse.load_runs_id_seq', 2)");
    await earlier.destroy();

    const current = await database.migrate(PartitionSupplierHistory1764750000200);
    try {
      const kept = (await current.query(
        `SELECT tableoid::regclass::text AS partition, load_id, s_suppkey
         FROM warehouse.supplier_data ORDER BY load_id, s_suppkey`,
      )) as unknown[];
      const old = 'warehouse.supplier_data_before_partitioning';
      assert.deepEqual(kept, [
        { partition: old, load_id: 1, s_suppkey: 1 },
        { partition: old, load_id: 1, s_suppkey: 2 },
        { partition: old, load_id: 2, s_suppkey: 1 },
      ]);
      // The next run's id is above the old partition's bound: it gets a partition of its own.
      const [{ id }] = (await current.query(
        "SELECT nextval('warehouse.load_runs_id_seq')::int AS id",
      )) as Array<{ id: number }>;
      const runner = current.createQueryRunner();
      await runner.startTransaction();
      const [{ night }] = (await runner.query(
        'SELECT warehouse.supplier_night_partition($1) AS night',
        [id],
      )) as Array<{ night: string }>;
      await runner.query(`INSERT INTO ${night} VALUES (${ROW})`, [id, 1]);
      await runner.query('SELECT warehouse.attach_supplier_night($1)', [id]);
      await runner.commitTransaction();
      await runner.release();
      const latest = (await current.query(
        'SELECT load_id FROM warehouse.supplier_latest WHERE s_suppkey = 1',
      )) as unknown[];
      assert.deepEqual(latest, [{ load_id: id }]);

      await current.undoLastMigration();
      const restored = (await current.query(
        `SELECT relkind::text, (SELECT count(*)::int FROM warehouse.supplier_data) AS rows
         FROM pg_class WHERE oid = 'warehouse.supplier_data'::regclass`,
      )) as unknown[];
      assert.deepEqual(restored, [{ relkind: 'r', rows: 4 }], 'down keeps every row');
    } finally {
      await current.destroy();
    }
  });
});
