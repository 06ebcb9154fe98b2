import { CreateDashboardSchema1700000000000 } from './1700000000000-CreateDashboardSchema';
import { CreateObservations1732200000000 } from './1732200000000-CreateObservations';
import { CreateCountries1764750000000 } from './1764750000000-CreateCountries';

/** Every migration of the `covid` schema, oldest first. */
export const migrations = [
  CreateDashboardSchema1700000000000,
  CreateObservations1732200000000,
  CreateCountries1764750000000,
];
