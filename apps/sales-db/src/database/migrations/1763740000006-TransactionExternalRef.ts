import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `import-transactions` (issue 22): an imported transaction keeps the source's reference, unique,
 * so importing the same file again, or one that overlaps an earlier one, adds nothing twice.
 * Checkout's column grant (member_id only) keeps team logins from setting it.
 */
export class TransactionExternalRef1763740000006 implements MigrationInterface {
  name = 'TransactionExternalRef1763740000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sales.transactions ADD COLUMN external_ref varchar(100)');
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_transactions_external_ref" ON sales.transactions (external_ref)
        WHERE external_ref IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX sales."UQ_transactions_external_ref"');
    await queryRunner.query('ALTER TABLE sales.transactions DROP COLUMN external_ref');
  }
}
