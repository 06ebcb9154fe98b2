/** The teams of the issue plus `checkout`, the storefront that records purchases. */
export const TEAMS = ['logistics', 'analytics', 'sales', 'checkout'] as const;
export type Team = (typeof TEAMS)[number];

/** Cluster-wide group role of each team; prefixed so other apps on the same server cannot clash. */
export const TEAM_ROLES: Record<Team, string> = {
  logistics: 'sales_db_logistics',
  analytics: 'sales_db_analytics',
  sales: 'sales_db_sales',
  checkout: 'sales_db_checkout',
};

/** NOLOGIN NOINHERIT role the API switches to for its own bookkeeping; member of every team role. */
export const APP_ROLE = 'sales_db_app';

/** An authenticated API caller: a LOGIN role made by `add-user`. */
export interface SalesUser {
  name: string;
  team: Team;
}
