import { PoolClient, QueryResultRow } from 'pg';

/** A parameterised query inside the current database transaction; repositories receive one. */
export type Sql = <R extends QueryResultRow = QueryResultRow>(
  text: string,
  values?: unknown[],
) => Promise<R[]>;

export const sqlOf =
  (client: PoolClient): Sql =>
  async <R extends QueryResultRow>(text: string, values?: unknown[]) =>
    (await client.query<R>(text, values)).rows;
