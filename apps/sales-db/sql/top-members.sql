-- Top members by total spending.
--   $1 = how many members (the API's ?limit=, 10 by default).
-- Spending counts every transaction, pending or completed: a pending transaction is a purchase
-- already made whose delivery is not done yet.
-- Ties (equal spending) are ordered by the member's surrogate id, lowest (imported first) first.
-- Reads sales.member_spending, kept up to date by the lines trigger, through its
-- (total_spent DESC, member_id) index: cost does not grow with the number of transactions.
-- In psql: PREPARE top_members AS <this query>; EXECUTE top_members(10);
SELECT m.id AS member_id,
       m.membership_id,
       m.first_name,
       m.last_name,
       s.total_spent,
       s.transaction_count
  FROM sales.member_spending s
  JOIN sales.members m ON m.id = s.member_id
 ORDER BY s.total_spent DESC, s.member_id
 LIMIT $1
