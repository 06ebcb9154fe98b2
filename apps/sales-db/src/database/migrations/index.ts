import { CreateSalesDbSchema1700000000000 } from './1700000000000-CreateSalesDbSchema';
import { CreateSalesTables1763740000000 } from './1763740000000-CreateSalesTables';
import { TotalsAndAggregates1763740000001 } from './1763740000001-TotalsAndAggregates';
import { TeamRoles1763740000002 } from './1763740000002-TeamRoles';
import { CompletionIsFinal1763740000003 } from './1763740000003-CompletionIsFinal';
import { FasterBulkLoad1763740000004 } from './1763740000004-FasterBulkLoad';
import { DatabaseScopedRoles1763740000005 } from './1763740000005-DatabaseScopedRoles';
import { TransactionExternalRef1763740000006 } from './1763740000006-TransactionExternalRef';
import { ImportKeepsItsOwnTotals1763740000007 } from './1763740000007-ImportKeepsItsOwnTotals';

/** Every migration of the `sales` schema, oldest first. */
export const migrations = [
  CreateSalesDbSchema1700000000000,
  CreateSalesTables1763740000000,
  TotalsAndAggregates1763740000001,
  TeamRoles1763740000002,
  CompletionIsFinal1763740000003,
  FasterBulkLoad1763740000004,
  DatabaseScopedRoles1763740000005,
  TransactionExternalRef1763740000006,
  ImportKeepsItsOwnTotals1763740000007,
];
