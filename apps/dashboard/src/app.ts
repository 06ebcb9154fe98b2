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
    title: 'COVID-19 dashboard',
    description:
      'COVID-19 cases over time from the Johns Hopkins CSSE series, with a covid19api-compatible API',
  });
}
