import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from './app';
import { Clock } from './selection/clock';

/** A clock the test moves by hand; starts at minute `minute` of an hour (UTC, the app's default zone). */
export class TestClock implements Clock {
  private time: number;

  constructor(minute = 5) {
    this.time = Date.UTC(2026, 0, 15, 10, minute, 30);
  }

  now(): number {
    return this.time;
  }

  setMinute(minute: number, second = 0): void {
    const date = new Date(this.time);
    date.setUTCMinutes(minute, second, 0);
    this.time = date.getTime();
  }
}

/** The bearer token of the test apps (name `tester`). */
export const TEST_TOKEN = 'test-import-token-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  clock: TestClock;
}

/** The production app (createApp) on the given test database, with an injected clock. */
export async function startTestApp(
  database: TestDatabase,
  clock = new TestClock(),
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  const app = await createApp(
    {
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      BANNER_COOKIE_SECRET: 'test-secret-of-enough-length',
      BANNER_IMPORT_TOKEN: `tester=${TEST_TOKEN}`,
      ...env,
    },
    { clock },
  );
  await app.init();
  return { app, http: request(app.getHttpServer()), clock };
}

export { createTestDatabase };

/** CSV text from a header and rows. */
export const csv = (header: string, rows: Array<Array<string | number>>): Buffer =>
  Buffer.from([header, ...rows.map((row) => row.join(','))].join('\n') + '\n');

export function upload(
  http: TestApp['http'],
  fileName: string,
  content: Buffer,
  fields: Record<string, string> = {},
) {
  const post = http.post('/imports').set('Authorization', `Bearer ${TEST_TOKEN}`);
  for (const [name, value] of Object.entries(fields)) post.field(name, value);
  return post.attach('file', content, fileName);
}

/** One upload of several files: `[name, content]` pairs. */
export function uploadAll(
  http: TestApp['http'],
  files: Array<[string, Buffer]>,
  path = '/imports',
  method: 'post' | 'put' = 'post',
) {
  const request = http[method](path).set('Authorization', `Bearer ${TEST_TOKEN}`);
  for (const [name, content] of files) request.attach('file', content, name);
  return request;
}
