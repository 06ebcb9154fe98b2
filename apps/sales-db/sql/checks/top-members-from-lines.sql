-- The same answer as top-members.sql computed from the raw lines (a full scan): used by the
-- tests to prove the maintained aggregate agrees with the data.
SELECT m.id AS member_id,
       m.membership_id,
       m.first_name,
       m.last_name,
       sum(t.total_price) AS total_spent,
       count(*) AS transaction_count
  FROM sales.transactions t
  JOIN sales.members m ON m.id = t.member_id
 WHERE t.line_count > 0
 GROUP BY m.id
 ORDER BY total_spent DESC, m.id
 LIMIT $1
