import { createServer } from 'node:http';
import { escapeIdentifier, Pool, QueryResult } from 'pg';
import { reportQueries } from '../reports/report-queries';
import { withLimit } from '../reports/reports.repository';

/**
 * The benchmark's baseline: a bare `node:http` + `pg` server answering the same report SQL as the
 * same team login in one round trip, without authentication, validation, logging or framework.
 * Env: BARE_DATABASE_URL (the owner), BARE_ROLE (the team login), BARE_PORT.
 */
// Connections kept while idle, as the app's pool keeps them (SALES_DB_POOL_IDLE_SECONDS).
const pool = new Pool({
  connectionString: process.env.BARE_DATABASE_URL,
  max: 10,
  idleTimeoutMillis: 0,
});
const begin = `BEGIN; SET LOCAL ROLE ${escapeIdentifier(process.env.BARE_ROLE!)};`;
const routes: Record<string, string> = {
  '/reports/top-members': withLimit(reportQueries.topMembers, 10),
  '/reports/top-items?by=quantity': withLimit(reportQueries.topItems.quantity, 3),
  '/reports/top-items?by=transactions': withLimit(reportQueries.topItems.transactions, 3),
};
createServer(async (request, response) => {
  const sql = routes[request.url ?? ''];
  if (!sql) return response.writeHead(404).end();
  const results = (await pool.query(`${begin}\n${sql}\n; COMMIT`)) as unknown as QueryResult[];
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(results[results.length - 2].rows));
}).listen(Number(process.env.BARE_PORT), '127.0.0.1', () => process.send?.('listening'));
