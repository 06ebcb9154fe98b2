import { IssuedMembershipId } from '../runs/issued-membership-id.entity';
import { LedgerEntry } from '../runs/ledger-entry.entity';
import { RunFile } from '../runs/run-file.entity';
import { Run } from '../runs/run.entity';

/** Every TypeORM entity of the `pipeline` schema. */
export const entities = [Run, RunFile, LedgerEntry, IssuedMembershipId];
