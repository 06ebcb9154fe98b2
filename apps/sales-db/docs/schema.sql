-- The DDL the sales-db migrations produce (schema sales), regenerated with:
--   pg_dump --schema-only --schema=sales --no-owner <database after migrations>
-- Role names carry their database: sales_<database>_<team|app|system> (DatabaseScopedRoles).

CREATE SCHEMA sales;

CREATE FUNCTION sales.apply_new_lines() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'sales', 'pg_temp'
    SET work_mem TO '64MB'
    AS $$
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
      $$;

CREATE FUNCTION sales.check_new_transactions() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'sales', 'pg_temp'
    AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM new_transactions
                  WHERE total_price <> 0 OR total_weight_kg <> 0 OR line_count <> 0 OR item_count <> 0) THEN
        RAISE EXCEPTION 'transaction totals are computed from the lines; insert transactions with zero totals'
          USING ERRCODE = 'check_violation';
      END IF;
      IF current_setting('session_replication_role') = 'replica' AND EXISTS (
           SELECT 1 FROM (SELECT DISTINCT member_id FROM new_transactions) n WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = n.member_id)) THEN
        RAISE EXCEPTION 'transactions reference members that do not exist'
          USING ERRCODE = 'foreign_key_violation';
      END IF;
      RETURN NULL;
    END
    $$;

CREATE FUNCTION sales.refuse_history_changes() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'sales', 'pg_temp'
    AS $$
      BEGIN
        RAISE EXCEPTION 'sales history is immutable: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'check_violation';
      END
      $$;

CREATE FUNCTION sales.refuse_lines_on_closed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'sales', 'pg_temp'
    AS $$
      DECLARE
        closed bigint;
      BEGIN
        SELECT min(t.id) INTO closed
          FROM new_lines n JOIN transactions t ON t.id = n.transaction_id
         WHERE t.status <> 'pending';
        IF closed IS NOT NULL THEN
          RAISE EXCEPTION 'lines can only be added to a pending transaction (transaction % is completed)', closed
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $$;

CREATE FUNCTION sales.refuse_sold_item_rename() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'sales', 'pg_temp'
    AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM transaction_lines WHERE item_id = OLD.id) THEN
          RAISE EXCEPTION 'item % was sold, so its name and manufacturer identify past sales: retire it and create a new item instead', OLD.id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $$;

CREATE FUNCTION sales.refuse_transaction_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'sales', 'pg_temp'
    AS $$
      BEGIN
        RAISE EXCEPTION 'only the status and completion time of a transaction can change, and completion is final (transaction %)', OLD.id
          USING ERRCODE = 'check_violation';
      END
      $$;

CREATE FUNCTION sales.require_credential(user_name text, credential text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'sales', 'pg_temp'
    AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM api_users WHERE name = user_name AND password_hash = credential) THEN
          RAISE EXCEPTION 'the credentials of % changed or were removed', user_name
            USING ERRCODE = 'invalid_password';
        END IF;
      END
      $$;

CREATE TABLE sales.api_users (
    name character varying(63) NOT NULL,
    team character varying(20) NOT NULL,
    password_hash character varying(200) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT "CHK_api_users_team" CHECK (((team)::text = ANY ((ARRAY['logistics'::character varying, 'analytics'::character varying, 'sales'::character varying, 'checkout'::character varying])::text[])))
);

CREATE TABLE sales.item_popularity (
    item_id integer NOT NULL,
    quantity bigint NOT NULL,
    transaction_count bigint NOT NULL,
    CONSTRAINT "CHK_item_popularity_positive" CHECK (((quantity >= 0) AND (transaction_count >= 0)))
);

CREATE TABLE sales.items (
    id integer NOT NULL,
    name character varying(200) NOT NULL,
    manufacturer character varying(200) NOT NULL,
    cost numeric(12,2) NOT NULL,
    weight_kg numeric(10,3) NOT NULL,
    retired_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT "CHK_items_cost" CHECK ((cost >= (0)::numeric)),
    CONSTRAINT "CHK_items_name" CHECK (((btrim((name)::text) <> ''::text) AND (btrim((manufacturer)::text) <> ''::text))),
    CONSTRAINT "CHK_items_weight" CHECK ((weight_kg > (0)::numeric))
);

ALTER TABLE sales.items ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME sales.items_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE sales.member_spending (
    member_id integer NOT NULL,
    total_spent numeric(16,2) NOT NULL,
    transaction_count integer NOT NULL,
    CONSTRAINT "CHK_member_spending_positive" CHECK (((total_spent >= (0)::numeric) AND (transaction_count >= 0)))
);

CREATE TABLE sales.members (
    id integer NOT NULL,
    membership_id character varying(120) NOT NULL,
    first_name character varying(100) NOT NULL,
    last_name character varying(100) NOT NULL,
    email character varying(254) NOT NULL,
    date_of_birth date NOT NULL,
    mobile_no character varying(8) NOT NULL,
    above_18 boolean NOT NULL,
    source_file character varying(500) NOT NULL,
    source_line integer NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT "CHK_members_adult" CHECK (above_18),
    CONSTRAINT "CHK_members_mobile" CHECK (((mobile_no)::text ~ '^[0-9]{8}$'::text)),
    CONSTRAINT "CHK_members_names" CHECK ((btrim((last_name)::text) <> ''::text))
);

ALTER TABLE sales.members ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME sales.members_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE sales.service_logins (
    role_name character varying(63) NOT NULL,
    password character varying(100) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE sales.transaction_lines (
    transaction_id bigint NOT NULL,
    item_id integer NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    unit_weight_kg numeric(10,3) NOT NULL,
    CONSTRAINT "CHK_transaction_lines_quantity" CHECK ((quantity > 0)),
    CONSTRAINT "CHK_transaction_lines_unit_price" CHECK ((unit_price >= (0)::numeric)),
    CONSTRAINT "CHK_transaction_lines_unit_weight" CHECK ((unit_weight_kg > (0)::numeric))
);

CREATE TABLE sales.transactions (
    id bigint NOT NULL,
    member_id integer NOT NULL,
    purchased_at timestamp with time zone DEFAULT now() NOT NULL,
    status character varying(10) DEFAULT 'pending'::character varying NOT NULL,
    completed_at timestamp with time zone,
    total_price numeric(14,2) DEFAULT 0 NOT NULL,
    total_weight_kg numeric(14,3) DEFAULT 0 NOT NULL,
    line_count integer DEFAULT 0 NOT NULL,
    item_count integer DEFAULT 0 NOT NULL,
    external_ref character varying(100),
    CONSTRAINT "CHK_transactions_completion" CHECK (((((status)::text = 'completed'::text) = (completed_at IS NOT NULL)) AND ((completed_at IS NULL) OR (completed_at >= purchased_at)))),
    CONSTRAINT "CHK_transactions_status" CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'completed'::character varying])::text[]))),
    CONSTRAINT "CHK_transactions_totals" CHECK (((total_price >= (0)::numeric) AND (total_weight_kg >= (0)::numeric) AND (line_count >= 0) AND (item_count >= 0)))
)
WITH (fillfactor='50');

ALTER TABLE sales.transactions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME sales.transactions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY sales.api_users
    ADD CONSTRAINT "PK_api_users" PRIMARY KEY (name);

ALTER TABLE ONLY sales.item_popularity
    ADD CONSTRAINT "PK_item_popularity" PRIMARY KEY (item_id);

ALTER TABLE ONLY sales.items
    ADD CONSTRAINT "PK_items" PRIMARY KEY (id);

ALTER TABLE ONLY sales.member_spending
    ADD CONSTRAINT "PK_member_spending" PRIMARY KEY (member_id);

ALTER TABLE ONLY sales.members
    ADD CONSTRAINT "PK_members" PRIMARY KEY (id);

ALTER TABLE ONLY sales.service_logins
    ADD CONSTRAINT "PK_service_logins" PRIMARY KEY (role_name);

ALTER TABLE ONLY sales.transaction_lines
    ADD CONSTRAINT "PK_transaction_lines" PRIMARY KEY (transaction_id, item_id);

ALTER TABLE ONLY sales.transactions
    ADD CONSTRAINT "PK_transactions" PRIMARY KEY (id);

ALTER TABLE ONLY sales.items
    ADD CONSTRAINT "UQ_items_name_manufacturer" UNIQUE (name, manufacturer);

ALTER TABLE ONLY sales.members
    ADD CONSTRAINT "UQ_members_membership_email" UNIQUE (membership_id, email);

CREATE INDEX "IDX_item_popularity_quantity" ON sales.item_popularity USING btree (quantity DESC, item_id);

CREATE INDEX "IDX_item_popularity_transactions" ON sales.item_popularity USING btree (transaction_count DESC, item_id);

CREATE INDEX "IDX_member_spending_rank" ON sales.member_spending USING btree (total_spent DESC, member_id);

CREATE INDEX "IDX_transaction_lines_item" ON sales.transaction_lines USING btree (item_id);

CREATE INDEX "IDX_transactions_pending" ON sales.transactions USING btree (purchased_at) WHERE ((status)::text = 'pending'::text);

CREATE UNIQUE INDEX "UQ_transactions_external_ref" ON sales.transactions USING btree (external_ref) WHERE (external_ref IS NOT NULL);

CREATE TRIGGER items_sold_keep_identity BEFORE UPDATE ON sales.items FOR EACH ROW WHEN ((((old.name)::text IS DISTINCT FROM (new.name)::text) OR ((old.manufacturer)::text IS DISTINCT FROM (new.manufacturer)::text))) EXECUTE FUNCTION sales.refuse_sold_item_rename();

ALTER TABLE sales.items ENABLE ALWAYS TRIGGER items_sold_keep_identity;

CREATE TRIGGER lines_immutable BEFORE DELETE OR UPDATE OR TRUNCATE ON sales.transaction_lines FOR EACH STATEMENT EXECUTE FUNCTION sales.refuse_history_changes();

ALTER TABLE sales.transaction_lines ENABLE ALWAYS TRIGGER lines_immutable;

CREATE TRIGGER lines_maintain_totals AFTER INSERT ON sales.transaction_lines REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT WHEN ((CURRENT_USER <> 'sales_<database>_system'::name)) EXECUTE FUNCTION sales.apply_new_lines();

ALTER TABLE sales.transaction_lines ENABLE ALWAYS TRIGGER lines_maintain_totals;

CREATE TRIGGER lines_only_while_pending AFTER INSERT ON sales.transaction_lines REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT WHEN ((CURRENT_USER <> 'sales_<database>_system'::name)) EXECUTE FUNCTION sales.refuse_lines_on_closed();

ALTER TABLE sales.transaction_lines ENABLE ALWAYS TRIGGER lines_only_while_pending;

CREATE TRIGGER transactions_guard_updates BEFORE UPDATE ON sales.transactions FOR EACH ROW WHEN (((CURRENT_USER <> 'sales_<database>_system'::name) AND ((((((((old.total_price IS DISTINCT FROM new.total_price) OR (old.total_weight_kg IS DISTINCT FROM new.total_weight_kg)) OR (old.line_count IS DISTINCT FROM new.line_count)) OR (old.item_count IS DISTINCT FROM new.item_count)) OR (old.member_id IS DISTINCT FROM new.member_id)) OR (old.purchased_at IS DISTINCT FROM new.purchased_at)) OR (old.id IS DISTINCT FROM new.id)) OR (((old.status)::text = 'completed'::text) AND (((new.status)::text IS DISTINCT FROM (old.status)::text) OR (new.completed_at IS DISTINCT FROM old.completed_at)))))) EXECUTE FUNCTION sales.refuse_transaction_change();

ALTER TABLE sales.transactions ENABLE ALWAYS TRIGGER transactions_guard_updates;

CREATE TRIGGER transactions_no_delete BEFORE DELETE OR TRUNCATE ON sales.transactions FOR EACH STATEMENT EXECUTE FUNCTION sales.refuse_history_changes();

ALTER TABLE sales.transactions ENABLE ALWAYS TRIGGER transactions_no_delete;

CREATE TRIGGER transactions_start_empty AFTER INSERT ON sales.transactions REFERENCING NEW TABLE AS new_transactions FOR EACH STATEMENT WHEN ((CURRENT_USER <> 'sales_<database>_system'::name)) EXECUTE FUNCTION sales.check_new_transactions();

ALTER TABLE sales.transactions ENABLE ALWAYS TRIGGER transactions_start_empty;

ALTER TABLE ONLY sales.item_popularity
    ADD CONSTRAINT "FK_item_popularity_item" FOREIGN KEY (item_id) REFERENCES sales.items(id);

ALTER TABLE ONLY sales.member_spending
    ADD CONSTRAINT "FK_member_spending_member" FOREIGN KEY (member_id) REFERENCES sales.members(id);

ALTER TABLE ONLY sales.transaction_lines
    ADD CONSTRAINT "FK_transaction_lines_item" FOREIGN KEY (item_id) REFERENCES sales.items(id);

ALTER TABLE ONLY sales.transaction_lines
    ADD CONSTRAINT "FK_transaction_lines_transaction" FOREIGN KEY (transaction_id) REFERENCES sales.transactions(id);

ALTER TABLE ONLY sales.transactions
    ADD CONSTRAINT "FK_transactions_member" FOREIGN KEY (member_id) REFERENCES sales.members(id);

GRANT USAGE ON SCHEMA sales TO sales_<database>_logistics;
GRANT USAGE ON SCHEMA sales TO sales_<database>_analytics;
GRANT USAGE ON SCHEMA sales TO sales_<database>_sales;
GRANT USAGE ON SCHEMA sales TO sales_<database>_checkout;
GRANT USAGE ON SCHEMA sales TO sales_<database>_app;
GRANT ALL ON SCHEMA sales TO sales_<database>_system;

REVOKE ALL ON FUNCTION sales.apply_new_lines() FROM PUBLIC;

REVOKE ALL ON FUNCTION sales.check_new_transactions() FROM PUBLIC;

REVOKE ALL ON FUNCTION sales.refuse_history_changes() FROM PUBLIC;

REVOKE ALL ON FUNCTION sales.refuse_transaction_change() FROM PUBLIC;

GRANT ALL ON FUNCTION sales.require_credential(user_name text, credential text) TO sales_<database>_app;

GRANT SELECT ON TABLE sales.api_users TO sales_<database>_app;

GRANT SELECT ON TABLE sales.item_popularity TO sales_<database>_analytics;
GRANT SELECT,INSERT,UPDATE ON TABLE sales.item_popularity TO sales_<database>_system;

GRANT SELECT ON TABLE sales.items TO sales_<database>_logistics;
GRANT SELECT ON TABLE sales.items TO sales_<database>_analytics;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE sales.items TO sales_<database>_sales;
GRANT SELECT ON TABLE sales.items TO sales_<database>_checkout;
GRANT SELECT ON TABLE sales.items TO sales_<database>_system;

GRANT USAGE ON SEQUENCE sales.items_id_seq TO sales_<database>_sales;

GRANT SELECT ON TABLE sales.member_spending TO sales_<database>_analytics;
GRANT SELECT,INSERT,UPDATE ON TABLE sales.member_spending TO sales_<database>_system;

GRANT SELECT ON TABLE sales.members TO sales_<database>_analytics;
GRANT SELECT ON TABLE sales.members TO sales_<database>_checkout;
GRANT SELECT ON TABLE sales.members TO sales_<database>_system;

GRANT SELECT ON TABLE sales.transaction_lines TO sales_<database>_logistics;
GRANT SELECT ON TABLE sales.transaction_lines TO sales_<database>_analytics;
GRANT SELECT,INSERT ON TABLE sales.transaction_lines TO sales_<database>_checkout;
GRANT SELECT,INSERT ON TABLE sales.transaction_lines TO sales_<database>_system;

GRANT SELECT ON TABLE sales.transactions TO sales_<database>_logistics;
GRANT SELECT ON TABLE sales.transactions TO sales_<database>_analytics;
GRANT SELECT ON TABLE sales.transactions TO sales_<database>_checkout;
GRANT SELECT,INSERT,UPDATE ON TABLE sales.transactions TO sales_<database>_system;

GRANT INSERT(member_id) ON TABLE sales.transactions TO sales_<database>_checkout;

GRANT UPDATE(status) ON TABLE sales.transactions TO sales_<database>_logistics;

GRANT UPDATE(completed_at) ON TABLE sales.transactions TO sales_<database>_logistics;

GRANT USAGE ON SEQUENCE sales.transactions_id_seq TO sales_<database>_checkout;
GRANT USAGE ON SEQUENCE sales.transactions_id_seq TO sales_<database>_system;
