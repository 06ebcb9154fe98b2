-- Both item rankings computed from the raw lines (a full scan), for the tests:
--   $1 = how many, $2 = 'quantity' or 'transactions'.
SELECT i.id AS item_id,
       i.name,
       i.manufacturer,
       sum(l.quantity) AS units_sold,
       count(*) AS transaction_count
  FROM sales.transaction_lines l
  JOIN sales.items i ON i.id = l.item_id
 GROUP BY i.id
 ORDER BY CASE WHEN $2 = 'quantity' THEN sum(l.quantity) ELSE count(*) END DESC, i.id
 LIMIT $1
