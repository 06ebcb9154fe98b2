import { CreateBannerApiSchema1700000000000 } from './1700000000000-CreateBannerApiSchema';

/** Every migration of the `banner` schema, oldest first. */
export const migrations = [CreateBannerApiSchema1700000000000];
