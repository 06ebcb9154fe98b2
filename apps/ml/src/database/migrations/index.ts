import { CreateMlSchema1700000000000 } from './1700000000000-CreateMlSchema';

/** Every migration of the `ml` schema, oldest first. */
export const migrations = [CreateMlSchema1700000000000];
