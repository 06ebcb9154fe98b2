import { benchOrganicShare } from './organic-share';

/** `npm run bench -w apps/warehouse`: each job's benchmark in turn, each with its own baseline. */
async function main(): Promise<void> {
  await benchOrganicShare();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
