/** The warehouse's group roles (NOLOGIN); login roles are made members by `create-login`. */
export const WAREHOUSE_ROLES = {
  /** What a load may do: fill the stage, append to history and to the load records. */
  load: 'warehouse_load',
  /** Analysts: read everything in the schema, write nothing. */
  analyst: 'warehouse_analyst',
} as const;

export type WarehouseRole = keyof typeof WAREHOUSE_ROLES;

/** Creates a cluster-wide role once; another database on the same server may already have it. */
export const createRoleIfMissing = (role: string) => `
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
      CREATE ROLE ${role} NOLOGIN;
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created concurrently
  END $$`;

/** Drops a role unless another database still grants it something. */
export const dropRoleIfUnused = (role: string) => `
  DO $$ BEGIN
    DROP ROLE IF EXISTS ${role};
  EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'role ${role} kept: another database still grants it privileges';
  END $$`;
