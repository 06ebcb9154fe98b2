import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from '../app';
import { LoadPlan, LoadResult, RequestVariant } from './load';
import { benchPort } from './ports';

export interface BenchApp {
  app: NestFastifyApplication;
  url: string;
  /** Environment the app was built with (database, secrets), for more processes on the same data. */
  env: NodeJS.ProcessEnv;
  token: string;
  campaigns: Array<{ campaignId: number; bannerIds: number[] }>;
  /** Campaign id -> a valid `bnr_<id>=<token>` entry, as a returning visitor sends it. */
  cookies: Map<number, string>;
}

/**
 * The real app, built by createApp exactly as main.ts does (embedded PostgreSQL or DATABASE_URL,
 * demo data imported on first run), listening on a free port. Resolves once it serves banners.
 */
export async function startBenchApp(): Promise<BenchApp> {
  const token = randomBytes(24).toString('base64url');
  const env = {
    ...process.env,
    DEMO_DATA: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    BANNER_COOKIE_SECRET: randomBytes(24).toString('base64url'),
    BANNER_IMPORT_TOKEN: `bench=${token}`,
  };
  const app = await createApp(env);
  await app.listen(await benchPort(), '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const listing = (await (await fetch(`${url}/campaigns`)).json()) as Pick<BenchApp, 'campaigns'>;
    if (listing.campaigns.length) {
      const cookies = new Map<number, string>();
      for (const { campaignId } of listing.campaigns) {
        const response = await fetch(`${url}/campaigns/${campaignId}`, {
          headers: { accept: 'application/json' },
        });
        cookies.set(campaignId, String(response.headers.get('set-cookie')).split(';')[0]);
      }
      const databaseUrl = (app.get(DataSource).options as { url: string }).url;
      return {
        app,
        url,
        env: { ...env, DATABASE_URL: databaseUrl, DEMO_DATA: 'false' },
        token,
        campaigns: listing.campaigns,
        cookies,
      };
    }
    if (Date.now() > deadline)
      throw new Error('No campaigns served after 10 minutes: demo data not loaded?');
    process.stdout.write('waiting for the demo data to be imported...\n');
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

/**
 * Requests over every campaign: a third without any visitor state, a third with a signed cookie
 * (a returning visitor's place in the rotation), a third with an X-Visitor-Id carrying the same.
 */
export function requestVariants(bench: BenchApp, count = 6000): RequestVariant[] {
  return Array.from({ length: count }, (_, i): RequestVariant => {
    const { campaignId } = bench.campaigns[Math.floor(Math.random() * bench.campaigns.length)];
    const entry = bench.cookies.get(campaignId)!;
    const path = `/campaigns/${campaignId}`;
    if (i % 3 === 0) return { path, headers: { accept: 'application/json' } };
    if (i % 3 === 1) return { path, headers: { accept: 'application/json', cookie: entry } };
    return {
      path,
      headers: { accept: 'application/json', 'x-visitor-id': `visitor-${i}; ${entry}` },
    };
  });
}

/** Every request a returning visitor's, with its signed cookie (the goal's "with a cookie" case). */
export function withCookies(bench: BenchApp, count = 6000): RequestVariant[] {
  return Array.from({ length: count }, (): RequestVariant => {
    const { campaignId } = bench.campaigns[Math.floor(Math.random() * bench.campaigns.length)];
    return {
      path: `/campaigns/${campaignId}`,
      headers: { accept: 'application/json', cookie: bench.cookies.get(campaignId)! },
    };
  });
}

/** Runs autocannon in a child process against `plan.url`; `until`, when given, ends the run early once it settles. */
export function runLoad(plan: LoadPlan, until?: Promise<unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load.js'), { stdio: 'inherit' });
    child.once('message', (result) => resolve(result as LoadResult));
    child.once('exit', (code) =>
      code ? reject(new Error(`load generator exited with ${code}`)) : undefined,
    );
    child.send(plan);
    until?.finally(() => child.connected && child.send('stop'));
  });
}

export const fixed = (value: number, digits = 2) => value.toFixed(digits);
