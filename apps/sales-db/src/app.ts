import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureApp } from '@des/shared';
import { AppModule } from './app.module';
import { loadConfig } from './config';

/** Builds the app with its production pipeline; used by main.ts and the e2e tests. */
export async function createApp(env: NodeJS.ProcessEnv = process.env): Promise<INestApplication> {
  const config = loadConfig(env);
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  return configureApp(app, {
    title: 'Sales database',
    description:
      'Sales database: items, members, transactions, team-scoped access and analyst reports',
    basicAuth: true,
  });
}
