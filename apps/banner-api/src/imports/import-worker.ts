/**
 * The import thread: runs one ImportJob (workerData) on its own PostgreSQL connection and posts
 * back its ImportOutcome. Parsing, validation and the SQL all happen here, never on the thread
 * that serves banners; its heap is capped by the runner (resourceLimits).
 */
import { setPriority } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { ImportJob } from './import-job';
import { runImportJob } from './import-transaction';

/** The highest heap use of this thread, sampled every 20 ms (reported for the benchmark and the logs). */
function heapPeak(): { stop(): number } {
  let peak = getHeapStatistics().used_heap_size;
  const timer = setInterval(() => (peak = Math.max(peak, getHeapStatistics().used_heap_size)), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, getHeapStatistics().used_heap_size) / 1024 / 1024;
    },
  };
}

async function main(job: ImportJob): Promise<void> {
  // Lowest CPU priority for this thread only (Linux: a thread's own nice value), so the serving
  // thread of the same process wins the core whenever both want it.
  try {
    setPriority(19);
  } catch {
    // Not allowed on this system: the import runs at normal priority.
  }
  const heap = heapPeak();
  const client = new Client({
    connectionString: job.databaseUrl,
    application_name: 'banner-api:import',
  });
  await client.connect();
  try {
    const outcome = await runImportJob(client, job);
    parentPort!.postMessage({ outcome, heapPeakMb: heap.stop() });
  } finally {
    heap.stop();
    await client.end();
  }
}

main(workerData as ImportJob).catch((error: Error) =>
  parentPort!.postMessage({ error: error.message }),
);
