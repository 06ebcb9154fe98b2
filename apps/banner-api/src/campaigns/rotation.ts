import { seededRandom, shuffle } from '../selection/selection.rules';

/** Orders of a collection a visitor's rounds are drawn from (per campaign and collection). */
export const ROUND_ORDERS = 16;

/**
 * Rotation through a collection without server state: a visitor goes through one round (every
 * banner once, in the order of one of ROUND_ORDERS random permutations), then another round in a
 * randomly drawn order that does not start with the banner that ended the last one. The visitor
 * carries only (order, position), signed; the orders are derived from the campaign and its
 * collection, so every replica computes the same ones.
 */
export interface Rotation {
  /** orders[k] = indexes into the collection. */
  orders: number[][];
  /** follows[k] = the orders a round in order k may be followed by. */
  follows: number[][];
}

export function rotationOf(campaignId: number, bannerIds: readonly number[]): Rotation {
  const indexes = bannerIds.map((_, index) => index);
  const orders = Array.from({ length: bannerIds.length > 1 ? ROUND_ORDERS : 1 }, (_, k) =>
    shuffle([...indexes], seededRandom(`${campaignId}:${bannerIds.join(',')}:${k}`)),
  );
  const follows = orders.map((order) => {
    const last = order[order.length - 1];
    const allowed = orders.flatMap((next, k) =>
      next[0] !== last || order.length === 1 ? [k] : [],
    );
    // With 2+ banners some order never starts with `last`: at worst rotate one so it does not.
    return allowed.length ? allowed : [];
  });
  for (let k = 0; k < orders.length; k++) {
    if (follows[k].length) continue;
    const last = orders[k][orders[k].length - 1];
    const fixed = orders[k].filter((index) => index !== last).concat(last);
    orders.push(fixed);
    follows[k] = [orders.length - 1];
    follows.push(orders.flatMap((next, j) => (next[0] !== fixed[fixed.length - 1] ? [j] : [])));
  }
  return { orders, follows };
}
