-- Top items most frequently bought, by units sold (sum of line quantities).
--   $1 = how many items (the API's ?limit=, 3 by default).
-- Every transaction counts, pending or completed; retired items still rank (they were sold).
-- Ties (equal units) are ordered by item id, lowest first.
-- Reads sales.item_popularity, kept up to date by the lines trigger, through its
-- (quantity DESC, item_id) index.
SELECT i.id AS item_id,
       i.name,
       i.manufacturer,
       p.quantity AS units_sold,
       p.transaction_count
  FROM sales.item_popularity p
  JOIN sales.items i ON i.id = p.item_id
 ORDER BY p.quantity DESC, p.item_id
 LIMIT $1
