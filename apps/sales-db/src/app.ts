import { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureApp } from '@des/shared';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { loadConfig } from './config';
import { reportsFastPath } from './reports/reports.fast-path';
import { ReportsService } from './reports/reports.service';

/** Builds the app with its production pipeline; used by main.ts and the e2e tests. */
export async function createApp(env: NodeJS.ProcessEnv = process.env): Promise<INestApplication> {
  const config = loadConfig(env);
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  routeReportsFirst(app);
  return configureApp(app, {
    title: 'Sales database',
    description:
      'Sales database: items, members, transactions, team-scoped access and analyst reports',
    basicAuth: true,
  });
}

/**
 * Puts the reports' fast path in front of Express on the app's Node server (README,
 * "Performance"); every request it does not answer reaches Express as before.
 */
function routeReportsFirst(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  const [express] = server.listeners('request') as Array<Parameters<typeof reportsFastPath>[2]>;
  server.removeAllListeners('request');
  server.on('request', reportsFastPath(app.get(AuthService), app.get(ReportsService), express));
}
