import { join } from 'node:path';
import { after } from 'node:test';
import { foundationSuite, fuzzSuite } from '@des/shared/testing';
import { escapeIdentifier } from 'pg';
import { createApp } from './app';
import { TEAMS } from './auth/teams';
import { UsersRepository } from './auth/users.repository';
import { UsersService } from './auth/users.service';
import { basic, withClient } from './e2e-fixtures';

foundationSuite({
  app: 'sales-db',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
});

// Without a login nearly every request stops at 401: the fuzz also runs as each team, so every
// operation's own validation and database path meet the hostile input.
fuzzSuite({ app: 'sales-db', createApp, budgetMs: 15_000 });

const fuzzLogins: string[] = [];
for (const team of TEAMS) {
  fuzzSuite({
    app: `sales-db as ${team}`,
    createApp,
    budgetMs: 15_000,
    prepare: async (_app, databaseUrl) => {
      const name = `fuzz_${process.pid}_${team}`;
      const user = await withClient(databaseUrl, (client) =>
        new UsersService(new UsersRepository(client)).add(team, name),
      );
      fuzzLogins.push(user.name);
      return { authorization: basic(user) };
    },
  });
}

// Logins are server-wide roles: they must not outlive the suites' databases.
after(async () => {
  await withClient(process.env.DATABASE_URL!, async (client) => {
    for (const name of fuzzLogins) {
      await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(name)}`);
    }
  });
});
