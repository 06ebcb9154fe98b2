import { IssuedMembershipId } from '../ledger/issued-membership-id.entity';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { RunFile } from '../runs/run-file.entity';
import { Run } from '../runs/run.entity';

/** Every TypeORM entity of the `pipeline` schema. */
export const entities = [Run, RunFile, LedgerEntry, IssuedMembershipId];
