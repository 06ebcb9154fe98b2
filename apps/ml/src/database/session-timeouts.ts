import { MlConfig } from '../config';

type TimeoutSettings = Pick<
  MlConfig,
  'ML_DB_STATEMENT_TIMEOUT_MS' | 'ML_DB_LOCK_TIMEOUT_MS' | 'ML_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'
>;

/**
 * The connection URL with the session timeouts as parameters: node-postgres sends them when each
 * connection starts, so every connection the service opens has them from its first statement.
 */
export function withSessionTimeouts(url: string, settings: TimeoutSettings): string {
  const withTimeouts = new URL(url);
  withTimeouts.searchParams.set('statement_timeout', String(settings.ML_DB_STATEMENT_TIMEOUT_MS));
  withTimeouts.searchParams.set('lock_timeout', String(settings.ML_DB_LOCK_TIMEOUT_MS));
  withTimeouts.searchParams.set(
    'idle_in_transaction_session_timeout',
    String(settings.ML_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS),
  );
  return withTimeouts.toString();
}
