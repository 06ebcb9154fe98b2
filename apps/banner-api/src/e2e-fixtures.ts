import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from './app';
import { Clock } from './selection/clock';

/** A clock the test moves by hand; starts at minute `minute` of a local hour. */
export class TestClock implements Clock {
  private time: number;

  constructor(minute = 5) {
    this.time = new Date(2026, 0, 15, 10, minute, 30).getTime();
  }

  now(): number {
    return this.time;
  }

  setMinute(minute: number, second = 0): void {
    const date = new Date(this.time);
    date.setMinutes(minute, second, 0);
    this.time = date.getTime();
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  clock: TestClock;
}

/** The production app (createApp) on the given test database, with an injected clock. */
export async function startTestApp(
  database: TestDatabase,
  clock = new TestClock(),
): Promise<TestApp> {
  const app = await createApp(
    {
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      BANNER_COOKIE_SECRET: 'test-secret-of-enough-length',
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
  const post = http.post('/imports');
  for (const [name, value] of Object.entries(fields)) post.field(name, value);
  return post.attach('file', content, fileName);
}
