import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { baseEnvSchema, boolVar, ConfigError, intVar, loadEnv, portVar } from './env';

const schema = baseEnvSchema.extend({
  PORT: portVar(3000),
  BATCH: intVar(10, 1, 100),
  ON: boolVar(false),
});

describe('loadEnv', () => {
  it('applies defaults, coerces numbers and booleans, and treats empty strings as unset', () => {
    const config = loadEnv(schema, { PORT: '8080', BATCH: '', ON: 'yes' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.BATCH, 10);
    assert.equal(config.ON, true);
    assert.equal(config.LOG_LEVEL, 'info');
    assert.equal(config.DATABASE_URL, undefined);
  });

  it('names every bad variable in one error with the value it got', () => {
    const error = (() => {
      try {
        loadEnv(schema, { PORT: 'abc', BATCH: '1000', ON: 'maybe', DATABASE_URL: 'mysql://x/y' });
      } catch (caught) {
        return caught;
      }
    })();
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 4);
    assert.match(error.message, /PORT: must be a port number \(got "abc"\)/);
    assert.match(error.message, /BATCH: must be at most 100 \(got "1000"\)/);
    assert.match(error.message, /ON: must be one of true, false/);
    assert.match(error.message, /DATABASE_URL: must be a URL like postgres:\/\//);
  });

  it('accepts postgres and postgresql URLs with a database', () => {
    for (const url of ['postgres://u:p@localhost:5432/db', 'postgresql://u@127.0.0.1/db']) {
      assert.equal(loadEnv(schema, { DATABASE_URL: url }).DATABASE_URL, url);
    }
    assert.throws(() => loadEnv(schema, { DATABASE_URL: 'postgres://localhost' }), /DATABASE_URL/);
  });

  it('rejects out-of-range ports', () => {
    assert.throws(
      () => loadEnv(z.object({ PORT: portVar(1) }), { PORT: '70000' }),
      /PORT: must be between 0 and 65535/,
    );
  });
});
