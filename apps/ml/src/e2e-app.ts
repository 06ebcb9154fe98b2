import { INestApplication } from '@nestjs/common';
import { createTestDatabase } from '@des/shared/testing';
import { createApp } from './app';

export interface TestApp {
  app: INestApplication;
  /** Closes the app and drops its database. */
  close(): Promise<void>;
}

/** The app on a database of its own, with `env` over the process's environment and silent logs. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const database = await createTestDatabase('ml');
  const app = await createApp({
    ...process.env,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return {
    app,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
