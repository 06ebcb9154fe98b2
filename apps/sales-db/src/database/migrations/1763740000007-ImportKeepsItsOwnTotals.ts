import { MigrationInterface, QueryRunner } from 'typeorm';
import { salesRoles } from '../../auth/teams';

type Bypass = 'system role' | 'nobody';

/**
 * Issue 22: the import computes every new transaction's totals and both report aggregates itself,
 * with one GROUP BY per file, so the two statement triggers that would redo that work (and check
 * zero starting totals) skip the system role's statements. Only the system role is trusted this
 * way: it is NOLOGIN, no team login is a member of it, and only the owner's import becomes it
 * (SET ROLE). The WHEN clause is evaluated as the inserting role, before the SECURITY DEFINER
 * function (whose body always runs as the system role), so team logins keep every check.
 */
export class ImportKeepsItsOwnTotals1763740000007 implements MigrationInterface {
  name = 'ImportKeepsItsOwnTotals1763740000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.createTriggers(queryRunner, 'system role');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.createTriggers(queryRunner, 'nobody');
  }

  private async createTriggers(queryRunner: QueryRunner, bypass: Bypass): Promise<void> {
    const [{ name }] = await queryRunner.query('SELECT current_database() AS name');
    const when =
      bypass === 'system role' ? `WHEN (current_user <> '${salesRoles(name).system}')` : '';
    await queryRunner.query('DROP TRIGGER lines_maintain_totals ON sales.transaction_lines');
    await queryRunner.query(`
      CREATE TRIGGER lines_maintain_totals AFTER INSERT ON sales.transaction_lines
      REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT ${when}
      EXECUTE FUNCTION sales.apply_new_lines()`);
    await queryRunner.query('DROP TRIGGER transactions_start_empty ON sales.transactions');
    await queryRunner.query(`
      CREATE TRIGGER transactions_start_empty AFTER INSERT ON sales.transactions
      REFERENCING NEW TABLE AS new_transactions FOR EACH STATEMENT ${when}
      EXECUTE FUNCTION sales.check_new_transactions()`);
    await queryRunner.query(
      'ALTER TABLE sales.transaction_lines ENABLE ALWAYS TRIGGER lines_maintain_totals',
    );
    await queryRunner.query(
      'ALTER TABLE sales.transactions ENABLE ALWAYS TRIGGER transactions_start_empty',
    );
  }
}
