import { CreateWarehouseSchema1700000000000 } from './1700000000000-CreateWarehouseSchema';
import { CreateLoadRuns1764750000000 } from './1764750000000-CreateLoadRuns';
import { CreateSupplierTables1764750000001 } from './1764750000001-CreateSupplierTables';
import { WarehouseRoles1764750000002 } from './1764750000002-WarehouseRoles';
import { LoadRunPhases1764750000003 } from './1764750000003-LoadRunPhases';
import { CreateOrganicShareTables1764750000100 } from './1764750000100-CreateOrganicShareTables';
import { PartitionSupplierHistory1764750000200 } from './1764750000200-PartitionSupplierHistory';
import { StageBecomesNight1764750000300 } from './1764750000300-StageBecomesNight';

/** Every migration of the `warehouse` schema, oldest first. */
export const migrations = [
  CreateWarehouseSchema1700000000000,
  CreateLoadRuns1764750000000,
  CreateSupplierTables1764750000001,
  WarehouseRoles1764750000002,
  LoadRunPhases1764750000003,
  CreateOrganicShareTables1764750000100,
  PartitionSupplierHistory1764750000200,
  StageBecomesNight1764750000300,
];
