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
    title: 'Warehouse loads',
    description:
      'The warehouse batch loads: the nightly TPC-H supplier load (stage, checks, history with load_ts) with its run records',
  });
}
