import { CreatePipelineSchema1700000000000 } from './1700000000000-CreatePipelineSchema';

/** Every migration of the `pipeline` schema, oldest first. */
export const migrations = [CreatePipelineSchema1700000000000];
