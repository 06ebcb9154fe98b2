/**
 * The import thread: runs one ImportJob (workerData) on its own PostgreSQL connection and posts
 * back its ImportOutcome. Parsing, validation and the SQL all happen here, never on the thread
 * that serves banners; its heap is capped by the runner (resourceLimits).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { ImportJob } from './import-job';
import { runImportJob } from './import-transaction';

async function main(job: ImportJob): Promise<void> {
  const client = new Client({
    connectionString: job.databaseUrl,
    application_name: 'banner-api:import',
  });
  await client.connect();
  try {
    parentPort!.postMessage({ outcome: await runImportJob(client, job) });
  } finally {
    await client.end();
  }
}

main(workerData as ImportJob).catch((error: Error) =>
  parentPort!.postMessage({ error: error.message }),
);
