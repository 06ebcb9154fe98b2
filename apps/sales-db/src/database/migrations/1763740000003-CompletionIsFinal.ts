import { MigrationInterface, QueryRunner } from 'typeorm';

const GUARDED_COLUMNS =
  'total_price, total_weight_kg, line_count, item_count, member_id, purchased_at, id';

export function guardTrigger(completionIsFinal: boolean): string {
  const completedChanges = completionIsFinal
    ? `(OLD.status = 'completed' AND (NEW.status, NEW.completed_at) IS DISTINCT FROM (OLD.status, OLD.completed_at))`
    : `(OLD.status = 'completed' AND NEW.status <> 'completed')`;
  return `
    CREATE TRIGGER transactions_guard_updates BEFORE UPDATE ON sales.transactions FOR EACH ROW
    WHEN (pg_trigger_depth() = 0 AND (
      (${GUARDED_COLUMNS.replace(/(\w+)/g, 'OLD.$1')})
        IS DISTINCT FROM
      (${GUARDED_COLUMNS.replace(/(\w+)/g, 'NEW.$1')})
      OR ${completedChanges}))
    EXECUTE FUNCTION sales.refuse_transaction_change()`;
}

/**
 * Completion is final: once completed, a transaction's completion time cannot be rewritten either
 * (logistics may update that column, so only the trigger stops it). Functions a later migration
 * creates get no EXECUTE for PUBLIC, matching what TeamRoles revoked from the existing ones.
 */
export class CompletionIsFinal1763740000003 implements MigrationInterface {
  name = 'CompletionIsFinal1763740000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.replaceGuard(queryRunner, true);
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA sales REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA sales GRANT EXECUTE ON FUNCTIONS TO PUBLIC',
    );
    await this.replaceGuard(queryRunner, false);
  }

  private async replaceGuard(queryRunner: QueryRunner, completionIsFinal: boolean): Promise<void> {
    await queryRunner.query('DROP TRIGGER transactions_guard_updates ON sales.transactions');
    await queryRunner.query(guardTrigger(completionIsFinal));
    await queryRunner.query(
      'ALTER TABLE sales.transactions ENABLE ALWAYS TRIGGER transactions_guard_updates',
    );
  }
}
