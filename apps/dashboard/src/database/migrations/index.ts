import { CreateDashboardSchema1700000000000 } from './1700000000000-CreateDashboardSchema';

/** Every migration of the `covid` schema, oldest first. */
export const migrations = [CreateDashboardSchema1700000000000];
