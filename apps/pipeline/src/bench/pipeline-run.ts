import { runInThread } from '../cli/run-thread';

/**
 * The measured side: one pipeline run as the CLI does it (the run's thread and its heap
 * limits, environment from the parent), with no node flags. Peak RSS is the whole process's.
 */
async function main(): Promise<void> {
  const { view } = await runInThread(() => undefined);
  if (view.status !== 'completed') throw new Error(`run ${view.id} ${view.status}: ${view.error}`);
  process.stdout.write(
    `${JSON.stringify({
      rows: view.rowsRead,
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
