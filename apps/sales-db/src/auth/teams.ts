import { createHash } from 'node:crypto';

/** The teams of the issue plus `checkout`, the storefront that records purchases. */
export const TEAMS = ['logistics', 'analytics', 'sales', 'checkout'] as const;
export type Team = (typeof TEAMS)[number];

/**
 * The PostgreSQL roles of one sales database. Roles are server-wide, so every name carries the
 * database: a login made for database A belongs to A's team role only, has no rights in database
 * B on the same server and (CONNECT being granted per database) cannot even connect to it.
 */
export interface SalesRoles {
  /** NOLOGIN group role of each team, holding that team's grants in this database. */
  teams: Record<Team, string>;
  /** NOLOGIN NOINHERIT role the API switches to for its own bookkeeping; member of every team role. */
  app: string;
  /**
   * NOLOGIN role that owns the triggers' SECURITY DEFINER functions and runs the owner's bulk
   * loads. The history guards let exactly this role through; no team login is a member of it.
   */
  system: string;
  /** The API's own LOGIN (created at start-up, a member of `app` only). */
  api: string;
}

/** Role names are at most 63 bytes; the longest suffix below is `logistics`. */
const MAX_TAG = 63 - 'sales__logistics'.length;

/** Roles of the database named `database` (`sales_<database>_<what>`, shortened with a hash if needed). */
export function salesRoles(database: string): SalesRoles {
  const plain = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const tag =
    plain === database && plain.length <= MAX_TAG
      ? plain
      : `${plain.slice(0, MAX_TAG - 9)}_${createHash('sha256').update(database).digest('hex').slice(0, 8)}`;
  const role = (what: string) => `sales_${tag}_${what}`;
  return {
    teams: {
      logistics: role('logistics'),
      analytics: role('analytics'),
      sales: role('sales'),
      checkout: role('checkout'),
    },
    app: role('app'),
    system: role('system'),
    api: role('api'),
  };
}

/** An authenticated API caller: a LOGIN role made by `add-user`. */
export interface SalesUser {
  name: string;
  team: Team;
  /** The stored password hash it was verified against; every request checks it is still current. */
  credential: string;
}
