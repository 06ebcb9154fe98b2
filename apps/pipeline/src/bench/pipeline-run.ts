import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { RunsService } from '../runs/runs.service';

/** The measured side: one pipeline run as the CLI does it (environment from the parent). */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', PIPELINE_CRON: 'off' });
  const app = await NestFactory.createApplicationContext(
    AppModule.register(config, { server: false }),
    { logger: ['error', 'warn'] },
  );
  const started = process.hrtime.bigint();
  const view = await app.get(RunsService).run('cli');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await app.close();
  if (view.status !== 'completed') throw new Error(`run ${view.id} ${view.status}: ${view.error}`);
  process.stdout.write(
    `${JSON.stringify({
      rows: view.rowsRead,
      seconds,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      successful: view.successful,
      failed: view.failed,
      duplicates: view.duplicates,
      ambiguousDates: view.ambiguousDates,
      membershipCollisions: view.membershipCollisions,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
