import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { SalesDatabase } from '../database/sales-database';
import { MembersImportService } from './members-import.service';
import { MembersRepository } from './members.repository';
import { createSalesTestDatabase } from '../e2e-fixtures';

const HEADER = 'first_name,last_name,email,date_of_birth,mobile_no,above_18,membership_id';

describe('import-members', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let importer: MembersImportService;
  let dir: string;

  before(async () => {
    database = await createSalesTestDatabase('sales_import');
    dataSource = await new DataSource(
      appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
    ).initialize();
    await runMigrationsLocked(dataSource, 'sales-db');
    importer = new MembersImportService(new SalesDatabase(dataSource), new MembersRepository());
    dir = await mkdtemp(join(tmpdir(), 'sales-import-'));
    await writeFile(
      join(dir, 'applications_1.csv'),
      `\uFEFF${HEADER}\r\n` +
        'Wei,Tan,wei@a.com,19850412,91234567,true,Tan_5e0c4\r\n' +
        'Mei,Tan,mei@b.net,19850412,98765432,true,Tan_5e0c4\r\n' +
        'Bad,,nope,19851332,1234,true,X_1\r\n',
    );
    await writeFile(
      join(dir, 'applications_2.csv'),
      `${HEADER}\nWei,Tan,wei@a.com,19850412,99999999,true,Tan_5e0c4\nAnn,Lee,ann@c.com,19700101,81234567,true,Lee_abcde\n,Madonna,m@d.com,19580816,87654321,true,Madonna_1a2b3\n`,
    );
    await writeFile(join(dir, 'applications_wrong.csv'), 'name,email\nx,y\n');
    // What a folder holds besides published outputs: a pipeline's in-progress part file (a
    // dot-file), a work folder, and other CSVs. None of them is a published output.
    const unpublished = `${HEADER}\nIn,Progress,ip@x.com,19800101,81111111,true,Progress_11111\n`;
    await writeFile(join(dir, '.applications_run7.part0.csv'), unpublished);
    await mkdir(join(dir, 'work'));
    await writeFile(join(dir, 'work', 'applications_run7.csv'), unpublished);
    await mkdir(join(dir, 'applications_folder.csv'));
    await writeFile(join(dir, 'notes.csv'), unpublished);
  });

  after(async () => {
    await dataSource?.destroy();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a folder, keeps people sharing a membership id apart and reports every problem', async () => {
    const result = await importer.import(dir);
    assert.equal(result.inserted, 4); // a one-word name has an empty first name
    assert.equal(result.rejectedFiles.length, 1);
    assert.match(
      result.rejectedFiles[0].reason,
      /applications_wrong\.csv:1: header must be .*missing first_name/,
    );
    assert.deepEqual(
      result.invalid.map((p) => [p.line, p.field]),
      [
        [4, 'last_name'],
        [4, 'email'],
        [4, 'date_of_birth'],
        [4, 'mobile_no'],
      ],
    );
    // Same person (membership id + email) with another mobile: reported, not applied.
    assert.equal(result.differing.length, 1);
    assert.match(result.differing[0].file, /applications_2\.csv$/);
    assert.equal(result.differing[0].line, 2);
    assert.equal(result.sharedMembershipIds.length, 1);
    assert.equal(result.sharedMembershipIds[0].membershipId, 'Tan_5e0c4');
    assert.equal(result.sharedMembershipIds[0].memberIds.length, 2);
    const [wei] = await dataSource.query(
      `SELECT mobile_no FROM sales.members WHERE email = 'wei@a.com'`,
    );
    assert.equal(wei.mobile_no, '91234567');
  });

  it('takes only published outputs (applications_*.csv files), never part files or work folders', async () => {
    const result = await importer.import(dir);
    assert.deepEqual(
      result.files.map((file) => file.slice(dir.length + 1)),
      ['applications_1.csv', 'applications_2.csv', 'applications_wrong.csv'],
    );
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM sales.members WHERE email = 'ip@x.com'`,
    );
    assert.equal(n, 0);
  });

  it('is idempotent: a second run inserts nothing', async () => {
    const again = await importer.import(dir);
    assert.equal(again.inserted, 0);
    assert.equal(again.unchanged, 4);
    const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM sales.members');
    assert.equal(n, 4);
  });

  it('names a missing path', async () => {
    await assert.rejects(importer.import(join(dir, 'nope')), /nope: no such file or directory/);
  });
});
