import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEnv } from 'node:util';
import { findRepoRoot } from '@des/shared';
import { STACK_APPS } from './apps';

interface AppConfigModule {
  loadConfig(env: NodeJS.ProcessEnv): { PORT: number };
}

describe('the apps npm start runs', () => {
  it('use ports 3001 to 3006, in the order of the README', () => {
    assert.deepEqual(
      STACK_APPS.map((app) => [app.name, app.defaultPort]),
      [
        ['pipeline', 3001],
        ['sales-db', 3002],
        ['dashboard', 3003],
        ['banner-api', 3004],
        ['ml', 3005],
        ['warehouse', 3006],
      ],
    );
    assert.deepEqual(
      STACK_APPS.map((app) => app.defaultPort),
      STACK_APPS.map((_app, index) => 3001 + index),
    );
  });

  it('tell a newcomer that sales-db calls need a team login', () => {
    assert.match(STACK_APPS.find((app) => app.name === 'sales-db')?.note ?? '', /team login/);
  });

  it("agree with each app's own default PORT, so an app started alone listens where the stack would start it", () => {
    for (const app of STACK_APPS) {
      // Each app's compiled config module; apps are devDependencies of the stack, built first.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const config = require(`@des/${app.name}/dist/config`) as AppConfigModule;
      assert.equal(config.loadConfig({}).PORT, app.defaultPort, app.name);
    }
  });

  it('accept .env.example, the configuration docker compose gives every app', () => {
    const compose = parseEnv(readFileSync(join(findRepoRoot(), '.env.example'), 'utf8'));
    for (const app of STACK_APPS) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const config = require(`@des/${app.name}/dist/config`) as AppConfigModule;
      assert.doesNotThrow(() => config.loadConfig(compose), app.name);
    }
  });

  it('name each port variable after the app', () => {
    for (const app of STACK_APPS)
      assert.equal(app.portVariable, `${app.name.toUpperCase().replace('-', '_')}_PORT`);
  });
});
