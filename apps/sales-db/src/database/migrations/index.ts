import { CreateSalesDbSchema1700000000000 } from './1700000000000-CreateSalesDbSchema';

/** Every migration of the `sales` schema, oldest first. */
export const migrations = [CreateSalesDbSchema1700000000000];
