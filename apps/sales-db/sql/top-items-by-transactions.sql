-- Top items most frequently bought, by the number of transactions containing the item
-- (a transaction has at most one line per item, whatever its quantity).
--   $1 = how many items (the API's ?limit=, 3 by default).
-- Every transaction counts, pending or completed; retired items still rank.
-- Ties (equal transaction counts) are ordered by item id, lowest first.
-- Reads sales.item_popularity through its (transaction_count DESC, item_id) index.
SELECT i.id AS item_id,
       i.name,
       i.manufacturer,
       p.quantity AS units_sold,
       p.transaction_count
  FROM sales.item_popularity p
  JOIN sales.items i ON i.id = p.item_id
 ORDER BY p.transaction_count DESC, p.item_id
 LIMIT $1
