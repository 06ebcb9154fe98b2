import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps every transaction's totals and the report aggregates in agreement with the lines, inside
 * PostgreSQL. Statement-level triggers with transition tables do one set-based pass per statement
 * (a 3M-row COPY costs one hash aggregate, not 3M function calls); the aggregate rows are bumped
 * with INSERT ... ON CONFLICT DO UPDATE in key order, so concurrent inserts neither lose updates
 * nor deadlock. The functions are SECURITY DEFINER so team roles need no rights on the totals.
 *
 * Every trigger is ENABLE ALWAYS: a bulk loader may set session_replication_role = replica to
 * skip the per-row foreign-key checks, and these triggers then still run and verify the same
 * references set-based (see GeneratorService).
 */
export class TotalsAndAggregates1763740000001 implements MigrationInterface {
  name = 'TotalsAndAggregates1763740000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION sales.apply_new_lines() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = sales, pg_temp SET work_mem = '64MB' AS $fn$
      DECLARE
        mismatched bigint;
        orphaned bigint;
      BEGIN
        -- A line carries the item's price and weight as they are at purchase time, of a live item
        -- (a missing item counts too: this is the set-based check when per-row FKs are skipped).
        SELECT count(*) INTO mismatched
          FROM new_lines n LEFT JOIN items i ON i.id = n.item_id
         WHERE i.id IS NULL OR n.unit_price <> i.cost OR n.unit_weight_kg <> i.weight_kg
            OR i.retired_at IS NOT NULL;
        IF mismatched > 0 THEN
          RAISE EXCEPTION 'transaction lines must carry the current price and weight of a live item (% lines do not)', mismatched
            USING ERRCODE = 'check_violation';
        END IF;

        WITH delta AS (
          SELECT transaction_id,
                 sum(quantity * unit_price) AS price,
                 sum(quantity * unit_weight_kg) AS weight,
                 count(*)::int AS lines,
                 sum(quantity)::int AS units
            FROM new_lines GROUP BY transaction_id
        ), updated AS (
          UPDATE transactions t
             SET total_price = t.total_price + d.price,
                 total_weight_kg = t.total_weight_kg + d.weight,
                 line_count = t.line_count + d.lines,
                 item_count = t.item_count + d.units
            FROM delta d
           WHERE t.id = d.transaction_id
          RETURNING t.member_id, d.price, t.line_count = d.lines AS is_new
        ), spending AS (
          INSERT INTO member_spending AS s (member_id, total_spent, transaction_count)
          SELECT member_id, sum(price), count(*) FILTER (WHERE is_new)
            FROM updated GROUP BY member_id ORDER BY member_id
          ON CONFLICT (member_id) DO UPDATE
            SET total_spent = s.total_spent + EXCLUDED.total_spent,
                transaction_count = s.transaction_count + EXCLUDED.transaction_count
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM delta) - (SELECT count(*) FROM updated) INTO orphaned;
        IF orphaned > 0 THEN
          RAISE EXCEPTION 'transaction lines reference % transactions that do not exist', orphaned
            USING ERRCODE = 'foreign_key_violation';
        END IF;

        INSERT INTO item_popularity AS p (item_id, quantity, transaction_count)
        SELECT item_id, sum(quantity), count(*) FROM new_lines GROUP BY item_id ORDER BY item_id
        ON CONFLICT (item_id) DO UPDATE
          SET quantity = p.quantity + EXCLUDED.quantity,
              transaction_count = p.transaction_count + EXCLUDED.transaction_count;
        RETURN NULL;
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER lines_maintain_totals AFTER INSERT ON sales.transaction_lines
      REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION sales.apply_new_lines()`);

    // Lines and transactions are history: changing or removing them would rewrite past purchases.
    await queryRunner.query(`
      CREATE FUNCTION sales.refuse_history_changes() RETURNS trigger
      LANGUAGE plpgsql SET search_path = sales, pg_temp AS $fn$
      BEGIN
        RAISE EXCEPTION 'sales history is immutable: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'check_violation';
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER lines_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON sales.transaction_lines
      FOR EACH STATEMENT EXECUTE FUNCTION sales.refuse_history_changes()`);
    await queryRunner.query(`
      CREATE TRIGGER transactions_no_delete BEFORE DELETE OR TRUNCATE ON sales.transactions
      FOR EACH STATEMENT EXECUTE FUNCTION sales.refuse_history_changes()`);

    // New transactions start empty (their totals come only from their lines) and, when per-row
    // FKs are skipped by a bulk loader, must still name existing members.
    await queryRunner.query(`
      CREATE FUNCTION sales.check_new_transactions() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = sales, pg_temp AS $fn$
      BEGIN
        IF EXISTS (SELECT 1 FROM new_transactions
                    WHERE total_price <> 0 OR total_weight_kg <> 0 OR line_count <> 0 OR item_count <> 0) THEN
          RAISE EXCEPTION 'transaction totals are computed from the lines; insert transactions with zero totals'
            USING ERRCODE = 'check_violation';
        END IF;
        IF current_setting('session_replication_role') = 'replica' AND EXISTS (
             SELECT 1 FROM new_transactions n WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = n.member_id)) THEN
          RAISE EXCEPTION 'transactions reference members that do not exist'
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER transactions_start_empty AFTER INSERT ON sales.transactions
      REFERENCING NEW TABLE AS new_transactions FOR EACH STATEMENT
      EXECUTE FUNCTION sales.check_new_transactions()`);

    // Outside the lines trigger (depth 0 = a direct statement) totals, member and purchase time
    // are frozen and completion is final. A row trigger whose WHEN is false costs next to nothing,
    // so the lines trigger's own bulk UPDATE is not slowed down.
    await queryRunner.query(`
      CREATE FUNCTION sales.refuse_transaction_change() RETURNS trigger
      LANGUAGE plpgsql SET search_path = sales, pg_temp AS $fn$
      BEGIN
        RAISE EXCEPTION 'only the status and completion time of a transaction can change, and completion is final (transaction %)', OLD.id
          USING ERRCODE = 'check_violation';
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER transactions_guard_updates BEFORE UPDATE ON sales.transactions FOR EACH ROW
      WHEN (pg_trigger_depth() = 0 AND (
        (OLD.total_price, OLD.total_weight_kg, OLD.line_count, OLD.item_count, OLD.member_id, OLD.purchased_at, OLD.id)
          IS DISTINCT FROM
        (NEW.total_price, NEW.total_weight_kg, NEW.line_count, NEW.item_count, NEW.member_id, NEW.purchased_at, NEW.id)
        OR (OLD.status = 'completed' AND NEW.status <> 'completed')))
      EXECUTE FUNCTION sales.refuse_transaction_change()`);

    for (const [table, trigger] of [
      ['transaction_lines', 'lines_maintain_totals'],
      ['transaction_lines', 'lines_immutable'],
      ['transactions', 'transactions_no_delete'],
      ['transactions', 'transactions_start_empty'],
      ['transactions', 'transactions_guard_updates'],
    ]) {
      await queryRunner.query(`ALTER TABLE sales.${table} ENABLE ALWAYS TRIGGER ${trigger}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER transactions_guard_updates ON sales.transactions');
    await queryRunner.query('DROP TRIGGER transactions_start_empty ON sales.transactions');
    await queryRunner.query('DROP TRIGGER transactions_no_delete ON sales.transactions');
    await queryRunner.query('DROP TRIGGER lines_immutable ON sales.transaction_lines');
    await queryRunner.query('DROP TRIGGER lines_maintain_totals ON sales.transaction_lines');
    await queryRunner.query('DROP FUNCTION sales.refuse_transaction_change()');
    await queryRunner.query('DROP FUNCTION sales.check_new_transactions()');
    await queryRunner.query('DROP FUNCTION sales.refuse_history_changes()');
    await queryRunner.query('DROP FUNCTION sales.apply_new_lines()');
  }
}
