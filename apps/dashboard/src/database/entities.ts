import { CountryRecord } from './country.entity';
import { Observation } from './observation.entity';
import { Refresh } from './refresh.entity';

/** Every TypeORM entity of the `covid` schema. */
export const entities = [Observation, Refresh, CountryRecord];
