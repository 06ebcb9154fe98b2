import { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureApp, resolveDatabaseUrl } from '@des/shared';
import { AppModule } from './app.module';
import { loadConfig } from './config';
import { withSessionTimeouts } from './database/session-timeouts';
import { ModelService } from './model/model.service';
import { predictionFastPath } from './predictions/predictions.fast-path';

/** Builds the app with its production pipeline; used by main.ts, the benchmark and the e2e tests. */
export async function createApp(env: NodeJS.ProcessEnv = process.env): Promise<INestApplication> {
  const config = loadConfig(env);
  const databaseUrl = withSessionTimeouts(await resolveDatabaseUrl(config.DATABASE_URL), config);
  const app = await NestFactory.create(
    AppModule.register({ ...config, DATABASE_URL: databaseUrl }),
    { bufferLogs: true },
  );
  routePredictionsFirst(app, ['debug', 'trace'].includes(config.LOG_LEVEL));
  return configureApp(app, {
    title: 'Car buying-price classifier',
    description:
      'TensorFlow.js classifier of the buying price of a car (UCI Car Evaluation), with honest evaluation',
  });
}

/**
 * Puts the prediction fast path in front of Express on the app's Node server: valid questions are
 * answered from the served table without the framework's per-request work (README, "Performance");
 * every other request, and every question it cannot answer, reaches Express as before.
 */
function routePredictionsFirst(app: INestApplication, logAnswers: boolean): void {
  const server = app.getHttpServer() as Server;
  const [express] = server.listeners('request') as Array<Parameters<typeof predictionFastPath>[1]>;
  const model = app.get(ModelService);
  server.removeAllListeners('request');
  server.on(
    'request',
    predictionFastPath((car) => model.answer(car), express, logAnswers),
  );
}
