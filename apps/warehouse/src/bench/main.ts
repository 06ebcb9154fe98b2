import 'reflect-metadata';
import { benchOrganicShare } from './organic-share';
import { benchSupplier } from './supplier';

/** `npm run bench -w apps/warehouse`: each job's benchmark in turn, each with its own baseline. */
async function main(): Promise<void> {
  // Each bench starts its own PostgreSQL unless DATABASE_URL names one, and points DATABASE_URL
  // at it: the second must not inherit the first's stopped server.
  const given = process.env.DATABASE_URL;
  await benchSupplier();
  if (given === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = given;
  await benchOrganicShare();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
