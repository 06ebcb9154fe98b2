import { CreateBannerApiSchema1700000000000 } from './1700000000000-CreateBannerApiSchema';
import { CreateBannerTables1700000000001 } from './1700000000001-CreateBannerTables';
import { DatasetsAsQuarters1700000000002 } from './1700000000002-DatasetsAsQuarters';

/** Every migration of the `banner` schema, oldest first. */
export const migrations = [
  CreateBannerApiSchema1700000000000,
  CreateBannerTables1700000000001,
  DatasetsAsQuarters1700000000002,
];
