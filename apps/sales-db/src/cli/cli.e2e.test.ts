import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SUCCESSFUL_APPLICATION_COLUMNS } from '@des/shared';
import { runNodeScript, ScriptResult, TestDatabase } from '@des/shared/testing';
import { Client } from 'pg';
import { createSalesTestDatabase } from '../e2e-fixtures';

const CLI = join(__dirname, 'main.js');

describe('sales CLI (npm run sales)', () => {
  let database: TestDatabase;
  let dir: string;
  // Roles are cluster-wide: a unique name keeps parallel runs on one server apart.
  const user = `cli_${randomBytes(4).toString('hex')}`;

  /** Runs the built CLI as `npm run sales` does, from `dir` as the caller's folder. */
  const sales = (...args: string[]): Promise<ScriptResult> =>
    runNodeScript(CLI, args, { ...process.env, DATABASE_URL: database.url, INIT_CWD: dir });
  const refused = async (args: string[], message: RegExp) => {
    const result = await sales(...args);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}`);
    assert.match(result.stderr, message, args.join(' '));
  };

  before(async () => {
    database = await createSalesTestDatabase('sales_cli');
    dir = await mkdtemp(join(tmpdir(), 'sales-cli-'));
    await writeFile(
      join(dir, 'applications_run1.csv'),
      [
        SUCCESSFUL_APPLICATION_COLUMNS.join(','),
        'Ada,Lovelace,ada@example.com,19851210,91234567,true,Lovelace_1a2b3',
        'Alan,Turing,alan@example.net,19800623,81234567,true,Turing_4c5d6',
        'Grace,Hopper,not-an-email,19791209,71234567,true,Hopper_7e8f9',
      ].join('\n') + '\n',
    );
  });

  after(async () => {
    await sales('remove-user', '--name', user);
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints its usage on help', async () => {
    const result = await sales('help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: npm run sales -- <command>/);
  });

  it('names the problem of every malformed command line and exits 1', async () => {
    await refused(['launch'], /sales: unknown command "launch"\nUsage:/);
    await refused(['generate'], /--transactions: must be a whole number ≥ 1 \(got null\)/);
    await refused(['generate', '--transactions', '0'], /--transactions: must be a whole number/);
    await refused(['generate', '--transactions', '5', '--fast'], /Unknown option '--fast'/);
    await refused(['import-members'], /import-members: give one file or folder/);
    await refused(['report'], /report: name top-members or top-items/);
    await refused(
      ['report', 'top-items', '--by', 'price'],
      /--by: must be one of quantity, transactions/,
    );
    await refused(['report', 'top-members', '--limit', 'ten'], /--limit: must be a whole number/);
    await refused(['add-user', '--team', 'pirates', '--name', user], /--team: must be one of/);
    await refused(
      ['add-user', '--team', 'sales', '--name', 'pg_x'],
      /--name: must be 3-63 characters/,
    );
  });

  it('imports members from a folder relative to the caller, idempotently, naming invalid rows', async () => {
    const first = await sales('import-members', '.');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Inserted: 2; already present: 0; invalid rows: 1/);
    assert.match(first.stdout, /invalid .*applications_run1\.csv:4: email /);
    const again = await sales('import-members', 'applications_run1.csv');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Inserted: 0; already present: 2; invalid rows: 1/);
  });

  it('adds a team member who can log in with the password shown once, then removes them', async () => {
    const added = await sales('add-user', '--team', 'analytics', '--name', user);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`Created user ${user} in team analytics`));
    const password = /Password \(shown once, store it now\): (\S+)/.exec(added.stdout)?.[1];
    assert.ok(password, 'the password is printed');

    const url = new URL(database.url);
    url.username = user;
    url.password = password;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM sales.members');
    assert.equal(rows[0].n, 2);
    await client.end();

    const removed = await sales('remove-user', '--name', user);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`Removed user ${user} \\(team analytics\\)`));
    await refused(['remove-user', '--name', user], new RegExp(`no sales-db user named ${user}`));
  });
});
