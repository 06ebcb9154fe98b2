import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STACK_APPS } from './apps';

interface AppConfigModule {
  loadConfig(env: NodeJS.ProcessEnv): { PORT: number };
}

describe('the apps npm start runs', () => {
  it('use ports from 3001 up, one per app, in the order of the README', () => {
    assert.deepEqual(
      STACK_APPS.slice(0, 5).map((app) => app.name),
      ['pipeline', 'sales-db', 'dashboard', 'banner-api', 'ml'],
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

  it('name each port variable after the app', () => {
    for (const app of STACK_APPS)
      assert.equal(app.portVariable, `${app.name.toUpperCase().replace('-', '_')}_PORT`);
  });
});
