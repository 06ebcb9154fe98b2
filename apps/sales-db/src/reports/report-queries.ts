import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ranking } from './dto/report.dto';

/** The analysts' queries live as plain .sql files in `apps/sales-db/sql/`; the API runs them as they are. */
export const SQL_DIR = join(__dirname, '..', '..', 'sql');

const load = (file: string): string => readFileSync(join(SQL_DIR, file), 'utf8');

export const reportQueries = {
  topMembers: load('top-members.sql'),
  topItems: {
    quantity: load('top-items-by-quantity.sql'),
    transactions: load('top-items-by-transactions.sql'),
  } satisfies Record<Ranking, string>,
  topMembersFromLines: load('checks/top-members-from-lines.sql'),
  topItemsFromLines: load('checks/top-items-from-lines.sql'),
};
