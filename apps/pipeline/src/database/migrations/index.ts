import { CreatePipelineSchema1700000000000 } from './1700000000000-CreatePipelineSchema';
import { CreateLedger1763740000000 } from './1763740000000-CreateLedger';
import { CreateIssuedMembershipIds1763760000000 } from './1763760000000-CreateIssuedMembershipIds';
import { CreateEmittedApplications1764720000000 } from './1764720000000-CreateEmittedApplications';

/** Every migration of the `pipeline` schema, oldest first. */
export const migrations = [
  CreatePipelineSchema1700000000000,
  CreateLedger1763740000000,
  CreateIssuedMembershipIds1763760000000,
  CreateEmittedApplications1764720000000,
];
